import { activeTrigger } from './engine/activeTrigger';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { addDocument, countIds, finish, listShows, resetV4, v4 } from './engine/v4Sandbox';

/**
 * The Nanonets Trigger while the workflow's document list changes under it: uploads and
 * deletes between two list page requests, a server that keeps its own page size, documents
 * still processing deep in the list at activation, equal upload times, and a list that says
 * more than the document. Every document that reaches the status is emitted once.
 */
let sandbox: Sandbox;
let workflowNumber = 0;
beforeAll(async () => {
	const workflows = Array.from({ length: 40 }, (_, i) => `wf-${i}`);
	sandbox = await openSandbox({ processingMs: 3_600_000, perPageMs: 0, pagesPerMinute: 0, workflows });
});
afterEach(() => resetV4(sandbox));
afterAll(async () => await sandbox.close());

/** A workflow of its own for each test, with one old processed document and an active trigger. */
async function activated(parameters: Record<string, unknown> = {}) {
	const workflowId = `wf-${workflowNumber++}`;
	addDocument(sandbox, workflowId);
	const trigger = await activeTrigger({ workflowId, ...parameters }, credentialsFor(sandbox));
	const first = await trigger.poll();
	expect(first).toEqual({ items: [] });
	const poll = async () => {
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		return result.items;
	};
	return { workflowId, trigger, poll };
}

function add(workflowId: string, count: number, options: Parameters<typeof addDocument>[2] = {}): string[] {
	return Array.from({ length: count }, () => addDocument(sandbox, workflowId, options));
}

describe.each(['object', 'array'] as const)('list answered as %s', (listShape) => {
	beforeEach(() => {
		v4(sandbox).v4.listShape = listShape;
	});

	test('150 new documents and 5 uploads between page requests: 155 emitted, each once', async () => {
		const { workflowId, poll } = await activated();
		const first = add(workflowId, 150);
		const late: string[] = [];
		v4(sandbox).v4.beforeListPage = (id, page) => {
			if (id === workflowId && page === 2 && late.length === 0) late.push(...add(workflowId, 5));
		};
		const emitted = [...(await poll()), ...(await poll())];
		v4(sandbox).v4.beforeListPage = undefined;
		emitted.push(...(await poll()));

		const counts = countIds(emitted);
		expect(late).toHaveLength(5);
		expect(emitted).toHaveLength(155);
		expect([...counts.keys()].sort()).toEqual([...first, ...late].sort());
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
	});

	test('the newest document deleted between page requests: the one that moved up a page is still emitted', async () => {
		const { workflowId, poll } = await activated();
		const ids = add(workflowId, 150); // oldest first
		const newest = ids[149];
		// With 100 a page, this one is first on page 2 until the delete moves it to page 1.
		const moved = ids[49];
		let deleted = false;
		v4(sandbox).v4.beforeListPage = (id, page) => {
			if (id === workflowId && page === 2 && !deleted) {
				v4(sandbox).deleteDocument(workflowId, newest);
				deleted = true;
			}
		};
		const emitted = [...(await poll())];
		v4(sandbox).v4.beforeListPage = undefined;
		emitted.push(...(await poll()), ...(await poll()));

		expect(deleted).toBe(true);
		const counts = countIds(emitted);
		expect(counts.get(moved)).toBe(1);
		expect(counts.has(newest)).toBe(false);
		expect([...counts.keys()].sort()).toEqual(ids.slice(0, 149).sort());
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
	});

	test('a server that caps pages at 50: 130 new documents emitted, each once', async () => {
		v4(sandbox).v4.pageSizeCap = 50;
		const { workflowId, poll } = await activated();
		const ids = add(workflowId, 130);
		const emitted = [...(await poll()), ...(await poll())];
		expect(emitted.map((item) => item.document_id)).toEqual(ids);
	});
});

test('documents still processing beyond the first list page at activation are emitted when they finish', async () => {
	const workflowId = `wf-${workflowNumber++}`;
	const deep = add(workflowId, 3, { done: false });
	add(workflowId, 150);
	const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox));
	expect(await trigger.poll()).toEqual({ items: [] });
	expect(await trigger.poll()).toEqual({ items: [] });

	for (const id of deep) finish(sandbox, workflowId, id);
	const emitted = await trigger.poll();
	expect(emitted.items.map((item) => item.document_id)).toEqual(deep);
	expect(await trigger.poll()).toEqual({ items: [] });
});

test('a document uploaded in the same instant as the newest one already seen is not hidden by it', async () => {
	const workflowId = `wf-${workflowNumber++}`;
	const instant = '2026-03-02T10:00:00.000Z';
	addDocument(sandbox, workflowId, { uploadedAt: instant });
	const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox));
	await trigger.poll();

	// Listed after the first one: the list does not order documents of the same instant.
	const twin = addDocument(sandbox, workflowId, { uploadedAt: instant });
	expect(v4(sandbox).workflows.get(workflowId)?.[1].document_id).toBe(twin);
	const emitted = await trigger.poll();
	expect(emitted.items.map((item) => item.document_id)).toEqual([twin]);
	expect(await trigger.poll()).toEqual({ items: [] });
});

test('a document the list shows as processed but whose detail says otherwise is not emitted for that event', async () => {
	const { workflowId, poll } = await activated();
	const [stillProcessing, failed] = add(workflowId, 2, { done: false });
	listShows(sandbox, workflowId, stillProcessing, 'success');
	listShows(sandbox, workflowId, failed, 'success');
	finish(sandbox, workflowId, failed, 'failure');

	expect(await poll()).toEqual([]);
	expect(await poll()).toEqual([]);
	// Once the document itself says it is processed, it is emitted, once.
	finish(sandbox, workflowId, stillProcessing);
	expect((await poll()).map((item) => [item.document_id, item.status])).toEqual([[stillProcessing, 'success']]);
	expect(await poll()).toEqual([]);
});

test('Document Failed: a document listed as failed but processed in its detail is not emitted', async () => {
	const { workflowId, poll } = await activated({ event: 'documentFailed' });
	const [processed, failed] = add(workflowId, 2, { done: false });
	listShows(sandbox, workflowId, processed, 'failure');
	finish(sandbox, workflowId, processed, 'success');
	finish(sandbox, workflowId, failed, 'failure');
	expect((await poll()).map((item) => [item.document_id, item.status])).toEqual([[failed, 'failure']]);
	expect(await poll()).toEqual([]);
});

test('a list without upload times: new documents are told apart by id, and the walk stops at a page of known ones', async () => {
	const workflowId = `wf-${workflowNumber++}`;
	add(workflowId, 250);
	const withoutTimes = (body: { documents: Array<Record<string, unknown>> }) => ({
		...body,
		documents: body.documents.map(({ uploaded_at: _dropped, ...entry }) => entry),
	});
	sandbox.fault({ method: 'GET', path: /\/documents$/, times: 1000, body: withoutTimes });
	try {
		const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox));
		await trigger.poll();
		const fresh = add(workflowId, 2);
		sandbox.state.requests.length = 0;
		expect((await trigger.poll()).items.map((item) => item.document_id).sort()).toEqual([...fresh].sort());
		// Page 1 held the new ones, so page 2 was read too; it held only known documents, so not page 3.
		expect(sandbox.requestsTo(`/workflows/${workflowId}/documents`, 'GET').filter((r) => r.path.endsWith('/documents'))).toHaveLength(2);
		expect(await trigger.poll()).toEqual({ items: [] });
	} finally {
		sandbox.reset();
	}
});
