/**
 * Faults injected by the sandbox, each ending in a clear outcome within bounded time: retried
 * to success where that is safe, a clear error where it is not. One row per fault, Document
 * (v4) and v2 paths alike.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** The node's Request Timeout option, shortened for these tests. */
const REQUEST_TIMEOUT_MS = 400;

let sandbox: Sandbox;
let documentId: string;
let pageId: string;

beforeAll(async () => {
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
const pngItem = () => [binaryItem(makePng(), 'cat.png', 'image/png')];
const predictOcr = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'ocrPrediction',
	operation: 'predict',
	modelId: 'ocr-invoices',
	outputFormat: 'simplified',
	options: { pollInterval: 0.1 },
	...extra,
});
const uploadImages = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'imageModel',
	operation: 'uploadTrainingData',
	modelId: 'ic-animals',
	category: 'cat',
	...extra,
});
const v2Uploads = (path: string) => sandbox.state.requests.filter((r) => r.method === 'POST' && r.path.includes(path));

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
		name: '502 on a delete is retried (deleting is safe to repeat); the repeat\'s 404 means the first one deleted it',
		faults: () => [{ method: 'DELETE', status: 502 }],
		parameters: () => ({ resource: 'document', operation: 'delete', workflowId: 'wf-invoices', documentId: 'not-there' }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items[0].json).toMatchObject({ document_id: 'not-there', deleted: true });
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
			expectError(result, 'NodeOperationError', new RegExp(`Document ${created.document_id} was not processed within 1 second \\(item 1\\)`));
			expect(result.error?.description).toContain(`Document ID ${created.document_id}`);
		},
	},
	// v2
	{
		name: 'v2: 500 on an OCR prediction upload is not repeated: exactly one upload reached Nanonets',
		faults: () => [{ method: 'POST', status: 500, body: { message: 'Internal error' } }],
		parameters: () => predictOcr(),
		items: pdfItem,
		check: (result) => {
			expectError(result, 'NodeApiError', /server error \(500\): Internal error; the upload was not repeated/);
			expect(v2Uploads('/LabelFile')).toHaveLength(1);
			expect(sandbox.requestsTo('GetPredictions')).toEqual([]);
		},
	},
	{
		name: 'v2: 502 on an image training upload is not repeated: exactly one upload',
		faults: () => [{ method: 'POST', status: 502, body: html502 }],
		parameters: () => uploadImages(),
		items: pngItem,
		check: (result) => {
			expectError(result, 'NodeApiError', /server error \(502\).*the upload was not repeated/);
			expect(v2Uploads('/ImageCategorization/UploadFile')).toHaveLength(1);
		},
	},
	{
		name: 'v2: a connection reset on an image training upload by URL is not repeated either',
		faults: () => [{ method: 'POST', reset: true }],
		parameters: () => uploadImages({ inputType: 'url', urls: 'https://files.example.com/cat.jpg' }),
		check: (result) => {
			expectError(result, 'NodeApiError', /Could not reach Nanonets.*the upload was not repeated/);
			expect(v2Uploads('/ImageCategorization/UploadUrls')).toHaveLength(1);
		},
	},
	{
		name: 'v2: 429 on an image training upload is retried, then succeeds with one upload counted',
		faults: () => [{ method: 'POST', status: 429, body: { message: 'Too many requests' } }],
		parameters: () => uploadImages(),
		items: pngItem,
		check: (result) => {
			expectSuccess(result);
			expect(v2Uploads('/ImageCategorization/UploadFile').map((r) => r.status)).toEqual([429, 200]);
			expect(result.items[0].json).toMatchObject({ model_id: 'ic-animals', state_description: expect.any(String) });
		},
	},
	{
		name: 'v2: 429 on an OCR prediction upload is retried, then the prediction completes',
		faults: () => [{ method: 'POST', status: 429, headers: { 'Retry-After': '0' }, body: { message: 'Too many requests' } }],
		parameters: () => predictOcr(),
		items: () => [binaryItem(makePdf({ spec: { fields: { invoice_number: 'R-1' } } }), 'invoice.pdf')],
		check: (result) => {
			expectSuccess(result);
			expect(v2Uploads('/LabelFile').map((r) => r.status)).toEqual([429, 200]);
			expect(result.items.map((item) => item.json.fields)).toEqual([{ invoice_number: 'R-1' }]);
		},
	},
	{
		name: 'v2: the LowCodeAPI error wrapper on an image classification becomes a NodeApiError with its message',
		faults: () => [{ method: 'POST', path: '/nanonets/', status: 402, body: { data: { error: { message: 'Nanonets plan limit reached for this token', code: 'PLAN' } } } }],
		parameters: () => ({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', authentication: 'lowCodeApi' }),
		items: pngItem,
		check: (result) => {
			expectError(result, 'NodeApiError', /needs a paid plan for this \(through LowCodeAPI\): Nanonets plan limit reached for this token/);
			expect(result.error?.httpCode).toBe('402');
		},
	},
	{
		name: 'v2: the LowCodeAPI error wrapper with status 200 on an OCR model get is still an error',
		faults: () => [{ method: 'GET', path: '/nanonets/', status: 200, body: { data: { error: { message: 'Provider timeout', code: 'E_PROVIDER' } } } }],
		parameters: () => ({ resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices', authentication: 'lowCodeApi' }),
		check: (result) => expectError(result, 'NodeApiError', /Provider timeout/),
	},
	{
		name: 'v2: 202 on an OCR prediction of URLs gives the good URLs\' results and names the bad one',
		faults: () => [],
		parameters: () => predictOcr({ inputType: 'url', urls: 'https://files.example.com/a.pdf, https://bad.example/b.pdf, https://files.example.com/c.pdf' }),
		check: (result) => {
			expectSuccess(result);
			expect(v2Uploads('/LabelUrls').map((r) => r.status)).toEqual([202]);
			expect(result.items.map((item) => item.json.original_document_name ?? item.json.input)).toEqual([
				'https://files.example.com/a.pdf',
				'https://files.example.com/c.pdf',
				'https://bad.example/b.pdf',
			]);
			expect(result.items[2].json).toEqual({
				request_file_id: null,
				input: 'https://bad.example/b.pdf',
				status: 'failure',
				message: 'Failure: the file could not be downloaded',
			});
		},
	},
	{
		name: 'v2: 202 on an OCR prediction of URLs, not waiting, lists the pending files and the bad URL',
		faults: () => [],
		parameters: () => predictOcr({ inputType: 'url', urls: 'https://bad.example/a.pdf, https://files.example.com/b.pdf', waitForCompletion: false }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items.map((item) => [item.json.input, item.json.status])).toEqual([
				['https://files.example.com/b.pdf', 'pending'],
				['https://bad.example/a.pdf', 'failure'],
			]);
		},
	},
	{
		name: 'v2: a prediction answer in which every URL failed is an error naming each URL',
		faults: () => [
			{
				method: 'POST',
				status: 202,
				body: { message: 'Success', result: ['https://files.example.com/a.pdf', 'https://files.example.com/b.pdf'].map((input) => ({ message: 'Failure: timeout', input, result: [] })) },
			},
		],
		parameters: () => predictOcr({ inputType: 'url', urls: 'https://files.example.com/a.pdf, https://files.example.com/b.pdf' }),
		check: (result) =>
			expectError(
				result,
				'NodeApiError',
				/^Nanonets could not process any of the inputs: https:\/\/files\.example\.com\/a\.pdf \(Failure: timeout\); https:\/\/files\.example\.com\/b\.pdf/,
			),
	},
	{
		name: 'v2: a 202 that names no URL still names the URL no result came back for',
		faults: () => [{ method: 'POST', body: (original: { result: Array<{ input: string }> }) => ({ ...original, result: original.result.filter((r) => r.input.endsWith('a.pdf')) }) }],
		parameters: () => predictOcr({ inputType: 'url', urls: 'https://files.example.com/a.pdf, https://files.example.com/b.pdf', waitForCompletion: false }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items.map((item) => item.json)).toEqual([
				expect.objectContaining({ input: 'https://files.example.com/a.pdf', status: 'pending' }),
				{ request_file_id: null, input: 'https://files.example.com/b.pdf', status: 'failure', message: 'Nanonets returned no result for this URL' },
			]);
		},
	},
	{
		name: 'v2: 202 on an OCR training upload of URLs names the URL that was not taken',
		faults: () => [],
		parameters: () => ({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://files.example.com/1.png, https://bad.example/2.png' }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items[0].json).toMatchObject({
				Data: [{ filename: 'https://files.example.com/1.png' }],
				failed_urls: ['https://bad.example/2.png'],
				warning: 'Nanonets could not download 1 of the 2 URLs; the others were uploaded',
			});
		},
	},
	{
		name: 'v2: 202 on an image training upload of URLs says some were not taken',
		faults: () => [],
		parameters: () => uploadImages({ inputType: 'url', urls: 'https://files.example.com/1.jpg, https://bad.example/2.jpg' }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items[0].json).toMatchObject({ model_id: 'ic-animals', warning: expect.stringContaining('could not download some of the URLs') });
		},
	},
	{
		name: 'v2: 202 on an image classification of URLs gives each URL an item, the bad one without labels',
		faults: () => [],
		parameters: () => ({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://bad.example/1.jpg, https://files.example.com/2.jpg' }),
		check: (result) => {
			expectSuccess(result);
			expect(result.items.map((item) => [item.json.input, item.json.message, item.json.best_label])).toEqual([
				['https://bad.example/1.jpg', 'Failure: the file could not be downloaded', null],
				['https://files.example.com/2.jpg', 'Success', expect.stringMatching(/^(cat|dog)$/)],
			]);
		},
	},
	{
		name: 'v2: every URL of a full-text request failing is Nanonets\' 400, a clear error',
		faults: () => [],
		parameters: () => ({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://bad.example/1.png, https://bad.example/2.png' }),
		check: (result) => expectError(result, 'NodeApiError', /rejected the request: None of the urls could be downloaded/),
	},
];

test.each(faultCases)('$name', async ({ faults, parameters, items, check }) => {
	for (const fault of faults()) sandbox.fault(fault);
	const given = parameters();
	const options = { requestTimeout: REQUEST_TIMEOUT_MS / 1000, ...((given.options as IDataObject | undefined) ?? {}) };
	const result = await runNode({ parameters: { ...given, options }, items: items?.(), credentials: credentialsFor(sandbox) });
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
