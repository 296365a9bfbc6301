import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { activeTrigger } from './engine/activeTrigger';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { addDocument, countIds, finish, resetV4, v4 } from './engine/v4Sandbox';

/**
 * The Nanonets Trigger when polls overlap (n8n starts the next one without waiting), when one
 * document cannot be read, and across an n8n restart (a new Workflow object built from the
 * static data n8n saved).
 */
let sandbox: Sandbox;
let workflowNumber = 0;
beforeAll(async () => {
	const workflows = Array.from({ length: 20 }, (_, i) => `wf-${i}`);
	sandbox = await openSandbox({ processingMs: 3_600_000, perPageMs: 0, pagesPerMinute: 0, workflows });
});
afterEach(() => {
	resetV4(sandbox);
	jest.restoreAllMocks();
});
afterAll(async () => await sandbox.close());

async function activated() {
	const workflowId = `wf-${workflowNumber++}`;
	addDocument(sandbox, workflowId);
	const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox));
	expect(await trigger.poll()).toEqual({ items: [] });
	const poll = async () => {
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		return result.items;
	};
	return { workflowId, trigger, poll };
}

const add = (workflowId: string, count: number) => Array.from({ length: count }, () => addDocument(sandbox, workflowId));

function readsOf(workflowId: string, documentId?: string) {
	return sandbox
		.requestsTo(`/workflows/${workflowId}/documents/${documentId ?? ''}`, 'GET')
		.filter((request) => !request.path.endsWith('/documents'));
}

async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 5) {
		if (waited > 10_000) throw new Error('condition never met');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('overlapping polls of the same trigger', () => {
	test('a poll started while the previous one reads slowly does not emit the same documents', async () => {
		const { workflowId, trigger, poll } = await activated();
		const ids = add(workflowId, 20);
		v4(sandbox).v4.readDelayMs = 150;
		sandbox.reset();

		const first = trigger.poll();
		await until(() => readsOf(workflowId).length > 0);
		const second = trigger.poll();
		const results = await Promise.all([first, second]);

		expect(results.map((result) => result.error)).toEqual([undefined, undefined]);
		const emitted = results.flatMap((result) => result.items);
		expect(emitted.map((item) => item.document_id)).toEqual(ids);
		expect(results[1].items).toEqual([]);
		expect(await poll()).toEqual([]);
	});

	test('two polls started at the same moment emit each document once between them', async () => {
		const { workflowId, trigger, poll } = await activated();
		const ids = add(workflowId, 12);
		v4(sandbox).v4.readDelayMs = 50;
		const results = await Promise.all([trigger.poll(), trigger.poll(), trigger.poll()]);
		const counts = countIds(results.flatMap((result) => result.items));
		expect([...counts.keys()].sort()).toEqual([...ids].sort());
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect(await poll()).toEqual([]);
	});
	test('a poll in another process that loads static data saved mid-poll leaves the claimed documents alone', async () => {
		const { workflowId, trigger, poll } = await activated();
		const ids = add(workflowId, 10);
		v4(sandbox).v4.readDelayMs = 100;
		sandbox.reset();
		const first = trigger.poll();
		await until(() => readsOf(workflowId).length > 0);
		// Saved now (another node of the workflow emitted, say), then loaded by another main instance.
		const elsewhere = await activeTrigger({ workflowId }, credentialsFor(sandbox), trigger.current());
		const second = await elsewhere.poll();
		expect(second).toEqual({ items: [] });
		expect((await first).items.map((item) => item.document_id)).toEqual(ids);
		expect(await poll()).toEqual([]);
	});
	test('claims of a poll that died with its process expire: the documents are emitted after 30 minutes', async () => {
		const { workflowId, trigger } = await activated();
		const ids = add(workflowId, 3);
		v4(sandbox).v4.readDelayMs = 100;
		sandbox.reset();
		const dying = trigger.poll();
		await until(() => readsOf(workflowId).length > 0);
		const saved = trigger.current() as { 'node:Nanonets Trigger': { nanonets: { claims: Record<string, number> } } };
		await dying; // its process is gone: only what was saved counts
		const claims = saved['node:Nanonets Trigger'].nanonets.claims;
		expect(Object.keys(claims).sort()).toEqual([...ids].sort());

		const restarted = await activeTrigger({ workflowId }, credentialsFor(sandbox), saved);
		expect(await restarted.poll()).toEqual({ items: [] });
		for (const id of Object.keys(claims)) claims[id] -= 31 * 60_000;
		const later = await activeTrigger({ workflowId }, credentialsFor(sandbox), saved);
		expect((await later.poll()).items.map((item) => item.document_id)).toEqual(ids);
	});
});

describe('a document whose read fails', () => {
	test('does not hold back the others; it is retried on later polls, then given up and logged', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		const { workflowId, poll } = await activated();
		const broken = addDocument(sandbox, workflowId);
		v4(sandbox).v4.failingReads.set(broken, Infinity);
		const good = add(workflowId, 3);

		expect((await poll()).map((item) => item.document_id)).toEqual(good);
		const later: string[] = [];
		for (let i = 0; i < 6; i++) {
			const fresh = addDocument(sandbox, workflowId);
			later.push(fresh);
			expect((await poll()).map((item) => item.document_id)).toEqual([fresh]);
		}
		// Tried once a poll, five polls in all, then no more.
		expect(readsOf(workflowId, broken)).toHaveLength(5);
		const givenUp = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes(broken));
		expect(givenUp).toHaveLength(1);
		expect(givenUp[0]).toMatch(/gave up on document .* after 5 failed reads/);

		v4(sandbox).v4.failingReads.clear();
		expect(await poll()).toEqual([]);
		expect(readsOf(workflowId, broken)).toHaveLength(5);
	});

	test('a read that fails twice and then works emits the document once', async () => {
		const { workflowId, poll } = await activated();
		const flaky = addDocument(sandbox, workflowId);
		v4(sandbox).v4.failingReads.set(flaky, 2);
		expect(await poll()).toEqual([]);
		expect(await poll()).toEqual([]);
		expect((await poll()).map((item) => item.document_id)).toEqual([flaky]);
		expect(await poll()).toEqual([]);
	});

	test('when every read of a poll fails, Nanonets is failing, not the documents: nothing is given up', async () => {
		const { workflowId, poll } = await activated();
		const ids = add(workflowId, 2);
		for (const id of ids) v4(sandbox).v4.failingReads.set(id, 7);
		for (let i = 0; i < 7; i++) expect(await poll()).toEqual([]);
		expect((await poll()).map((item) => item.document_id)).toEqual(ids);
	});
});

describe('an n8n restart', () => {
	test('nothing is replayed, and a document uploaded meanwhile is emitted once', async () => {
		const { workflowId, trigger, poll } = await activated();
		const before = add(workflowId, 2);
		const processing = addDocument(sandbox, workflowId, { done: false });
		expect((await poll()).map((item) => item.document_id)).toEqual(before);

		// Everything the trigger knows is in the static data n8n saved with that poll.
		trigger.restart();
		expect(await poll()).toEqual([]);
		const during = addDocument(sandbox, workflowId);
		finish(sandbox, workflowId, processing);
		trigger.restart();
		expect((await poll()).map((item) => item.document_id).sort()).toEqual([processing, during].sort());

		trigger.restart();
		expect(await poll()).toEqual([]);
		expect(trigger.saved()['node:Nanonets Trigger']).toMatchObject({ nanonets: { workflowId, pending: {}, claims: {} } });
	});
});

test('a trigger upgraded from the previous version goes on from the state it saved', async () => {
	const workflowId = `wf-${workflowNumber++}`;
	const old = addDocument(sandbox, workflowId);
	const processing = addDocument(sandbox, workflowId, { done: false });
	const newestUploadedAt = v4(sandbox).workflows.get(workflowId)?.[0].uploaded_at;
	// The static data the previous version saved: the newest ids, their time, what was processing.
	const savedBefore = { 'node:Nanonets Trigger': { nanonets: { workflowId, event: 'documentProcessed', known: [processing, old], newestUploadedAt, pending: [processing] } } };
	const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox), savedBefore);

	const fresh = addDocument(sandbox, workflowId);
	finish(sandbox, workflowId, processing);
	const emitted = await trigger.poll();
	expect(emitted.items.map((item) => item.document_id).sort()).toEqual([processing, fresh].sort());
	expect(await trigger.poll()).toEqual({ items: [] });
});
