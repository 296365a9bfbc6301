/**
 * Faults injected by the sandbox, each ending in a clear outcome within bounded time: retried
 * to success where that is safe, a clear error where it is not. One row per fault; v2
 * operations add their rows to `faultCases`.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** The transport's request timeout, shortened for these tests only. */
const REQUEST_TIMEOUT_MS = 400;

let sandbox: Sandbox;
let documentId: string;
let pageId: string;

beforeAll(async () => {
	process.env.NANONETS_REQUEST_TIMEOUT_MS = String(REQUEST_TIMEOUT_MS);
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
	const uploaded = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices' },
		items: [binaryItem(makePdf(), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(uploaded);
	documentId = String(document.document_id);
	pageId = String((document.pages as Array<{ page_id: string }>)[0].page_id);
});
afterAll(async () => {
	delete process.env.NANONETS_REQUEST_TIMEOUT_MS;
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const getDocument = (): INodeParameters => ({ resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId });
const uploadFile = (): INodeParameters => ({ resource: 'document', operation: 'upload', workflowId: 'wf-invoices', waitForCompletion: false });
const uploadUrl = (documentUrl: string, options = {}): INodeParameters => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	inputType: 'url',
	documentUrl,
	options,
});
const pdfItem = () => [binaryItem(makePdf(), 'invoice.pdf')];

const gets = () => sandbox.state.requests.filter((r) => r.method === 'GET');
const uploads = () => sandbox.state.requests.filter((r) => r.method === 'POST');

function expectSuccess(result: NodeRun) {
	expect(result.error).toBeUndefined();
	expect(result.items.length).toBeGreaterThan(0);
}

function expectError(result: NodeRun, name: 'NodeApiError' | 'NodeOperationError', message: RegExp) {
	expect(result.error?.name).toBe(name);
	expect(result.error?.message).toMatch(message);
	expect(result.items).toEqual([]);
}

interface FaultCase {
	name: string;
	faults: () => Array<Record<string, unknown>>;
	parameters: () => INodeParameters;
	items?: () => INodeExecutionData[];
	check: (result: NodeRun) => void;
}

const html502 = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

const faultCases: FaultCase[] = [
	{
		name: '429 with Retry-After on a GET is retried after the pause, then succeeds',
		faults: () => [{ method: 'GET', status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too many requests' } }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets().map((r) => r.status)).toEqual([429, 200]);
			expect(gets()[1].at - gets()[0].at).toBeGreaterThanOrEqual(900);
		},
	},
	{
		name: '429 without Retry-After on a GET is retried with backoff, then succeeds',
		faults: () => [{ method: 'GET', status: 429, times: 2, body: { message: 'Too many requests' } }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets().map((r) => r.status)).toEqual([429, 429, 200]);
		},
	},
	{
		name: '429 on an upload is retried (the server did nothing), and one document results',
		faults: () => [{ method: 'POST', status: 429, body: { message: 'Rate limit exceeded' } }],
		parameters: uploadFile,
		items: pdfItem,
		check: (result) => {
			expectSuccess(result);
			expect(uploads().map((r) => r.status)).toEqual([429, 200]);
			expect(sandbox.state.workflows.get('wf-invoices')?.length).toBe(2);
		},
	},
	{
		name: '500 on a GET is retried, then succeeds',
		faults: () => [{ method: 'GET', status: 500 }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets().map((r) => r.status)).toEqual([500, 200]);
		},
	},
	{
		name: '502 twice on a GET is retried with backoff, then succeeds',
		faults: () => [{ method: 'GET', status: 502, times: 2, body: html502 }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets().map((r) => r.status)).toEqual([502, 502, 200]);
		},
	},
	{
		name: '503 on every attempt of a GET ends in a clear error after the retries',
		faults: () => [{ method: 'GET', status: 503, times: 10, body: { message: 'Service temporarily unavailable' } }],
		parameters: getDocument,
		check: (result) => {
			expectError(result, 'NodeApiError', /server error \(503\): Service temporarily unavailable/);
			expect(result.error?.httpCode).toBe('503');
			expect(gets()).toHaveLength(4);
		},
	},
	{
		name: '502 on a delete is retried (deleting is safe to repeat), then succeeds',
		faults: () => [{ method: 'DELETE', status: 502 }],
		parameters: () => ({ resource: 'document', operation: 'delete', workflowId: 'wf-invoices', documentId: 'not-there' }),
		check: (result) => {
			// The retry reaches the sandbox, which answers 404 for an unknown document: a clear outcome.
			expectError(result, 'NodeApiError', /Not found: Document not-there not found/);
			expect(sandbox.state.requests.map((r) => r.status)).toEqual([502, 404]);
		},
	},
	{
		name: '500 on an upload is not repeated: exactly one upload, and the error says so',
		faults: () => [{ method: 'POST', status: 500, body: { message: 'Internal error' } }],
		parameters: uploadFile,
		items: pdfItem,
		check: (result) => {
			expectError(result, 'NodeApiError', /server error \(500\).*the upload was not repeated/);
			expect(uploads()).toHaveLength(1);
		},
	},
	{
		name: '503 on an upload by URL is not repeated either',
		faults: () => [{ method: 'POST', status: 503 }],
		parameters: () => uploadUrl('https://files.example.com/invoice.pdf'),
		check: (result) => {
			expectError(result, 'NodeApiError', /the upload was not repeated/);
			expect(uploads()).toHaveLength(1);
		},
	},
	{
		name: 'a connection reset on a GET is retried, then succeeds',
		faults: () => [{ method: 'GET', reset: true }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets()).toHaveLength(2);
		},
	},
	{
		name: 'a connection reset on an upload is not repeated and ends in a clear error',
		faults: () => [{ method: 'POST', reset: true }],
		parameters: uploadFile,
		items: pdfItem,
		check: (result) => {
			expectError(result, 'NodeApiError', /Could not reach Nanonets at http:\/\/127\.0\.0\.1:\d+: .*the upload was not repeated/);
			expect(uploads()).toHaveLength(1);
		},
	},
	{
		name: 'a GET answered slower than the request timeout is retried, then succeeds',
		faults: () => [{ method: 'GET', delayMs: REQUEST_TIMEOUT_MS * 3 }],
		parameters: getDocument,
		check: (result) => {
			expectSuccess(result);
			expect(gets().length).toBeGreaterThanOrEqual(2);
		},
	},
	{
		name: 'a GET that never answers in time ends in a timeout error after the retries',
		faults: () => [{ method: 'GET', delayMs: REQUEST_TIMEOUT_MS * 3, times: 4 }],
		parameters: getDocument,
		check: (result) => {
			expectError(result, 'NodeApiError', /no answer within 0\.4 seconds/);
			expect(gets()).toHaveLength(4);
		},
	},
	{
		name: 'an HTML page with status 200 is a clear "not JSON" error',
		faults: () => [{ method: 'GET', status: 200, body: '<html><head><title>Maintenance</title></head><body>Back soon</body></html>' }],
		parameters: getDocument,
		check: (result) => {
			expectError(result, 'NodeApiError', /Unexpected response from Nanonets: the answer was not JSON/);
			expect(result.error?.description).toContain('an HTML page ("Maintenance") instead of JSON');
		},
	},
	{
		name: 'an HTML 502 page on every attempt names the page in the error',
		faults: () => [{ method: 'GET', status: 502, times: 10, body: html502 }],
		parameters: getDocument,
		check: (result) => expectError(result, 'NodeApiError', /server error \(502\): an HTML page \("502 Bad Gateway"\) instead of JSON/),
	},
	{
		name: 'a document without its document_id is "Unexpected response" with the path',
		faults: () => [{ method: 'GET', body: (original: Record<string, unknown>) => ({ ...original, document_id: null }) }],
		parameters: getDocument,
		check: (result) => expectError(result, 'NodeApiError', /^Unexpected response from Nanonets: document_id: /),
	},
	{
		name: 'pages that are not a list are "Unexpected response" with the path',
		faults: () => [{ method: 'GET', body: (original: Record<string, unknown>) => ({ ...original, pages: 'none' }) }],
		parameters: getDocument,
		check: (result) => expectError(result, 'NodeApiError', /^Unexpected response from Nanonets: pages: /),
	},
	{
		name: 'a listed document without an id is "Unexpected response" with the path of the first mismatch',
		faults: () => [{ method: 'GET', body: { documents: [{ document_id: 'a' }, { status: 'success' }], total_count: 2 } }],
		parameters: () => ({ resource: 'document', operation: 'getAll', workflowId: 'wf-invoices', limit: 10 }),
		check: (result) => expectError(result, 'NodeApiError', /^Unexpected response from Nanonets: documents\.1\.document_id: /),
	},
	{
		name: 'a page answered as a list is "Unexpected response" about the whole answer',
		faults: () => [{ method: 'GET', body: [] }],
		parameters: () => ({ resource: 'document', operation: 'getPage', workflowId: 'wf-invoices', documentId, pageId }),
		check: (result) => expectError(result, 'NodeApiError', /^Unexpected response from Nanonets: \(the whole answer\): /),
	},
	{
		name: 'the LowCodeAPI error wrapper becomes a NodeApiError with its message',
		faults: () => [
			{ method: 'GET', path: '/nanonets/', status: 400, body: { data: { error: { message: 'Nanonets quota exceeded for this token', code: 'QUOTA' } } } },
		],
		parameters: () => ({ ...getDocument(), authentication: 'lowCodeApi' }),
		check: (result) => {
			expectError(result, 'NodeApiError', /through LowCodeAPI\): Nanonets quota exceeded for this token/);
			expect(result.error?.httpCode).toBe('400');
		},
	},
	{
		name: 'the LowCodeAPI error wrapper with status 200 is still an error',
		faults: () => [{ method: 'GET', path: '/nanonets/', status: 200, body: { data: { error: { message: 'Provider timeout', code: 'E_PROVIDER' } } } }],
		parameters: () => ({ ...getDocument(), authentication: 'lowCodeApi' }),
		check: (result) => expectError(result, 'NodeApiError', /Provider timeout/),
	},
	{
		name: 'a document that ends in failure is an error naming the document',
		faults: () => [],
		parameters: () => uploadUrl('https://files.example.com/blurred.pdf?outcome=failure', { pollInterval: 0.1 }),
		check: (result) => {
			const created = (sandbox.state.workflows.get('wf-invoices') as Array<{ document_id: string }>)[0];
			expectError(result, 'NodeApiError', new RegExp(`could not process document ${created.document_id}: The document could not be read`));
		},
	},
	{
		name: 'a wait that runs out of timeout names the document id',
		faults: () => [],
		parameters: () => uploadUrl('https://files.example.com/stuck.pdf?never=true', { pollInterval: 0.2, timeout: 1 }),
		check: (result) => {
			const created = (sandbox.state.workflows.get('wf-invoices') as Array<{ document_id: string }>)[0];
			expectError(result, 'NodeOperationError', new RegExp(`Document ${created.document_id} was not processed within 1 seconds \\(item 1\\)`));
			expect(result.error?.description).toContain(`Document ID ${created.document_id}`);
		},
	},
];

test.each(faultCases)('$name', async ({ faults, parameters, items, check }) => {
	for (const fault of faults()) sandbox.fault(fault);
	const result = await runNode({ parameters: parameters(), items: items?.(), credentials: credentialsFor(sandbox) });
	check(result);
});

test('cancelling the execution during a wait ends the run within a second, reporting the cancellation', async () => {
	let cancelledAt = 0;
	const result = await runNode({
		parameters: uploadUrl('https://files.example.com/stuck.pdf?never=true', { pollInterval: 0.2, timeout: 600 }),
		credentials: credentialsFor(sandbox),
		onStarted: (cancel) => {
			setTimeout(() => {
				cancelledAt = Date.now();
				cancel();
			}, 500);
		},
	});
	const endedAfterCancel = Date.now() - cancelledAt;

	expect(cancelledAt).toBeGreaterThan(0);
	// A correctness bound (the wait stopped instead of running to its 600 s timeout), not a benchmark.
	expect(endedAfterCancel).toBeLessThan(3000);
	expect(result.items).toEqual([]);
	// n8n keeps no node error for a cancelled run; the run itself is marked cancelled.
	expect(result.run.status).toBe('canceled');
	// The wait really stopped: no poll reaches the sandbox after the cancel, even a while later.
	await new Promise((resolve) => setTimeout(resolve, 800));
	const after = sandbox.state.requests.filter((r) => r.at > cancelledAt + 50);
	expect(after).toEqual([]);
});
