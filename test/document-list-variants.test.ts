import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { addDocument, resetV4, v4 } from './engine/v4Sandbox';

/**
 * Get Many reads the v4 document list in each shape Nanonets has published: the reference's
 * `{ documents, total_count, page_no, page_size }` and the Go SDK's bare array, from a server
 * that may keep its own page size (the reference's example answers 50 to a request for 10).
 */
let sandbox: Sandbox;
const ids: string[] = [];
beforeAll(async () => {
	sandbox = await openSandbox({ pagesPerMinute: 0, workflows: ['wf-130'] });
	for (let i = 0; i < 130; i++) ids.unshift(addDocument(sandbox, 'wf-130'));
});
afterEach(() => {
	resetV4(sandbox);
	sandbox.reset();
});
afterAll(async () => await sandbox.close());

const getMany = (extra: Record<string, unknown>) =>
	runNode({
		parameters: { resource: 'document', operation: 'getAll', workflowId: 'wf-130', ...extra },
		credentials: credentialsFor(sandbox),
	});

describe.each(['object', 'array'] as const)('a list answered as %s', (listShape) => {
	test('Return All returns all 130 documents, newest first, when the server caps pages at 50', async () => {
		v4(sandbox).v4.listShape = listShape;
		v4(sandbox).v4.pageSizeCap = 50;
		const result = await getMany({ returnAll: true });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((document) => document.document_id)).toEqual(ids);
		// 50 + 50 + 30: the short page ends the walk, whatever was asked for.
		expect(sandbox.requestsTo('/documents', 'GET').map((request) => [request.query.page, request.query.limit])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
	});

	test('a Limit larger than the server page takes the next page', async () => {
		v4(sandbox).v4.listShape = listShape;
		v4(sandbox).v4.pageSizeCap = 50;
		const result = await getMany({ limit: 70 });
		expect(jsonOf(result).map((document) => document.document_id)).toEqual(ids.slice(0, 70));
	});

	test('a document uploaded between two page requests is not listed twice', async () => {
		v4(sandbox).v4.listShape = listShape;
		let added = '';
		v4(sandbox).v4.beforeListPage = (_workflowId, page) => {
			if (page === 2 && !added) added = addDocument(sandbox, 'wf-130');
		};
		const result = await getMany({ returnAll: true });
		const listed = jsonOf(result).map((document) => document.document_id);
		expect(listed).toEqual(ids);
		expect(new Set(listed).size).toBe(listed.length);
		v4(sandbox).workflows.get('wf-130')?.shift(); // the upload is not part of the other tests
		expect(added).not.toBe('');
	});
});

test('both list shapes give the same items', async () => {
	const byShape = [];
	for (const listShape of ['object', 'array'] as const) {
		v4(sandbox).v4.listShape = listShape;
		byShape.push(jsonOf(await getMany({ returnAll: true })));
	}
	expect(byShape[0]).toHaveLength(130);
	expect(byShape[1]).toEqual(byShape[0]);
});

test('a server that keeps its own page size and one that honours the request give the same items', async () => {
	const byCap = [];
	for (const pageSizeCap of [undefined, 50, 10]) {
		v4(sandbox).v4.pageSizeCap = pageSizeCap;
		byCap.push(jsonOf(await getMany({ returnAll: true })));
	}
	expect(byCap[0]).toHaveLength(130);
	expect(byCap[1]).toEqual(byCap[0]);
	expect(byCap[2]).toEqual(byCap[0]);
});

test('a bare list with an entry without an id is "Unexpected response" naming the entry', async () => {
	v4(sandbox).v4.listShape = 'array';
	sandbox.fault({ method: 'GET', body: (entries: unknown[]) => [entries[0], { status: 'success' }] });
	const result = await getMany({ limit: 10 });
	expect(result.error?.message).toMatch(/^Unexpected response from Nanonets: 1\.document_id: /);
});

test('through LowCodeAPI, a bare list inside its data wrapper is read the same way', async () => {
	v4(sandbox).v4.listShape = 'array';
	v4(sandbox).v4.pageSizeCap = 50;
	const result = await getMany({ authentication: 'lowCodeApi', returnAll: true });
	expect(result.error).toBeUndefined();
	expect(jsonOf(result).map((document) => document.document_id)).toEqual(ids);
	expect(sandbox.state.requests.every((request) => request.path.startsWith('/nanonets/'))).toBe(true);
});
