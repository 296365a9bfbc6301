import type { IDataObject } from 'n8n-workflow';

import { pollNode, type PollOptions } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * The Nanonets Trigger, polled inside n8n-core the way an active workflow is: documents are
 * uploaded to the sandbox directly, and their processing is finished by hand between polls.
 */
let sandbox: Sandbox;
beforeAll(async () => {
	// Documents stay pending until a test finishes them: no race with the clock.
	sandbox = await openSandbox({ processingMs: 3_600_000, perPageMs: 0, pagesPerMinute: 0, workflows: ['wf-a', 'wf-b', 'wf-c', 'wf-d', 'wf-e', 'wf-f'] });
});
afterAll(async () => await sandbox.close());

interface SandboxDocument {
	document_id: string;
	readyAt: number;
	outcome: string;
}

/** Uploads a document straight to the sandbox (as the Nanonets app would), still processing. */
async function upload(workflowId: string, name: string, outcome: 'success' | 'failure' = 'success'): Promise<string> {
	const response = await fetch(`${sandbox.url}/api/v4/workflows/${workflowId}/documents`, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({ document_url: `https://files.example.com/${name}?outcome=${outcome}`, async: true }),
	});
	const body = (await response.json()) as IDataObject;
	expect(response.status).toBe(200);
	return String(body.document_id);
}

/** Nanonets finishes processing these documents now. */
function finish(workflowId: string, ...ids: string[]): void {
	const documents = sandbox.state.workflows.get(workflowId) as SandboxDocument[];
	for (const document of documents) if (ids.includes(document.document_id)) document.readyAt = Date.now() - 1;
}

async function uploadFinished(workflowId: string, name: string, outcome: 'success' | 'failure' = 'success') {
	const id = await upload(workflowId, name, outcome);
	finish(workflowId, id);
	return id;
}

/** A trigger watching one workflow, with its static data carried from poll to poll. */
function watcher(parameters: PollOptions['parameters']) {
	let staticData: IDataObject = {};
	return {
		async poll() {
			const result = await pollNode({ parameters, credentials: credentialsFor(sandbox), staticData });
			expect(result.error).toBeUndefined();
			staticData = result.staticData;
			return result.items.map((item) => item.json);
		},
		get staticData() {
			return staticData;
		},
	};
}

test('the first poll records what exists and emits nothing', async () => {
	await uploadFinished('wf-a', 'old-invoice.pdf');
	const trigger = watcher({ workflowId: 'wf-a' });
	expect(await trigger.poll()).toEqual([]);
	// What it remembers is in the node's static data, not in module memory.
	expect(trigger.staticData['node:Nanonets Trigger']).toMatchObject({
		nanonets: { workflowId: 'wf-a', event: 'documentProcessed', pending: {} },
	});
});

test('a new document that finishes is emitted once, fetched in full', async () => {
	const trigger = watcher({ workflowId: 'wf-b' });
	await trigger.poll();
	const id = await uploadFinished('wf-b', 'invoice-7.pdf');
	sandbox.reset();

	const emitted = await trigger.poll();
	expect(emitted).toHaveLength(1);
	expect(emitted[0]).toMatchObject({ document_id: id, status: 'success', original_document_name: 'invoice-7.pdf' });
	expect(Array.isArray(emitted[0].pages)).toBe(true);
	expect(sandbox.requestsTo(`/documents/${id}`, 'GET')).toHaveLength(1);

	expect(await trigger.poll()).toEqual([]);
	expect(await trigger.poll()).toEqual([]);
});

test('a document pending across polls is emitted when it succeeds', async () => {
	const trigger = watcher({ workflowId: 'wf-c', outputFormat: 'simplified' });
	await trigger.poll();
	const slow = await upload('wf-c', 'slow.pdf');
	expect(await trigger.poll()).toEqual([]);
	// Newer documents push it beyond the scan's boundary: it is still followed.
	const quick = await uploadFinished('wf-c', 'quick.pdf');
	expect((await trigger.poll()).map((item) => item.document_id)).toEqual([quick]);
	expect(await trigger.poll()).toEqual([]);

	finish('wf-c', slow);
	const emitted = await trigger.poll();
	expect(emitted).toHaveLength(1);
	expect(emitted[0]).toMatchObject({ document_id: slow, status: 'success', original_document_name: 'slow.pdf' });
	expect(emitted[0].fields).toEqual(expect.any(Object));
	expect(await trigger.poll()).toEqual([]);
});

test('Document Failed emits failed documents and ignores processed ones', async () => {
	const trigger = watcher({ workflowId: 'wf-d', event: 'documentFailed' });
	await trigger.poll();
	const bad = await uploadFinished('wf-d', 'blurry.pdf', 'failure');
	await uploadFinished('wf-d', 'fine.pdf', 'success');
	const emitted = await trigger.poll();
	expect(emitted.map((item) => [item.document_id, item.status])).toEqual([[bad, 'failure']]);
	expect(await trigger.poll()).toEqual([]);
});

test('a manual test run returns the newest matching document and leaves the state alone', async () => {
	const older = await uploadFinished('wf-e', 'first.pdf');
	const newest = await uploadFinished('wf-e', 'second.pdf');
	await upload('wf-e', 'still-processing.pdf');

	const result = await pollNode({
		parameters: { workflowId: 'wf-e', outputFormat: 'document' },
		credentials: credentialsFor(sandbox),
		mode: 'manual',
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.json.document_id)).toEqual([newest]);
	expect(result.items[0].json.document_id).not.toBe(older);
	expect(result.staticData).toEqual({});
});

test('a manual test run without any matching document says so', async () => {
	const result = await pollNode({
		parameters: { workflowId: 'wf-e', event: 'documentFailed' },
		credentials: credentialsFor(sandbox),
		mode: 'manual',
	});
	expect(result.error?.message).toMatch(/No document with status "failure"/);
});

test('list pages are followed when more than 100 documents arrived since the last poll', async () => {
	const trigger = watcher({ workflowId: 'wf-f', outputFormat: 'simplified' });
	await uploadFinished('wf-f', 'before.pdf');
	await trigger.poll();
	const ids: string[] = [];
	for (let i = 0; i < 230; i++) ids.push(await upload('wf-f', `batch-${i}.pdf`));
	finish('wf-f', ...ids);
	sandbox.reset();

	const emitted = await trigger.poll();
	expect(emitted.map((item) => item.document_id)).toEqual(ids);
	// Three list pages: 100 + 100 + 30 new, the last one reaching the known document.
	expect(sandbox.requestsTo('/workflows/wf-f/documents', 'GET').filter((r) => r.path.endsWith('/documents'))).toHaveLength(3);
	expect(await trigger.poll()).toEqual([]);
});

test('the LowCodeAPI credential works too', async () => {
	const parameters = { authentication: 'lowCodeApi', workflowId: 'wf-b', outputFormat: 'fields' };
	let staticData: IDataObject = {};
	const poll = async () => {
		const result = await pollNode({ parameters, credentials: credentialsFor(sandbox), staticData });
		expect(result.error).toBeUndefined();
		staticData = result.staticData;
		return result.items.map((item) => item.json);
	};
	await poll();
	const id = await uploadFinished('wf-b', 'via-lowcode.pdf');
	sandbox.reset();
	const emitted = await poll();
	expect(emitted.length).toBeGreaterThan(0);
	expect(emitted.every((item) => item.document_id === id && typeof item.field === 'string')).toBe(true);
	expect(sandbox.state.requests.every((request) => request.path.startsWith('/nanonets/'))).toBe(true);
});

test('a poll that fails emits nothing and loses nothing: the next poll emits the document', async () => {
	const trigger = watcher({ workflowId: 'wf-a' });
	await trigger.poll();
	const id = await uploadFinished('wf-a', 'during-outage.pdf');
	// A refused credential concerns every document: the poll fails as a whole.
	sandbox.fault({ method: 'GET', path: `/documents/${id}`, status: 401 });
	const failed = await pollNode({ parameters: { workflowId: 'wf-a' }, credentials: credentialsFor(sandbox), staticData: trigger.staticData });
	expect(failed.error?.message).toMatch(/401|credential|API key/i);
	expect(failed.items).toEqual([]);
	// The document is still followed, its failed read not counted against it, nothing claimed.
	expect(failed.staticData['node:Nanonets Trigger']).toMatchObject({ nanonets: { pending: { [id]: 0 }, claims: {} } });
	const emitted = await trigger.poll();
	expect(emitted.map((item) => item.document_id)).toEqual([id]);
	expect(await trigger.poll()).toEqual([]);
});
