/**
 * Error paths an outside review broke: secrets cut in half by shortened messages, waits bounded
 * by one request's timeout, a delete whose answer was lost, cancelled requests holding their
 * place in the page budget, Retry-After at its extremes, and PDFs whose pages are compressed.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makeObjectStreamPdf, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const API_KEY = 'k3Y7pQ9zR2mW8xT4vB6nJ1cF5hL0sD3a';
const LOWCODE_TOKEN = 'lc9Tq2Wm7Zr4Xv8Bn1Kj6Hf3Gd5Sa0Pe';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ apiKey: API_KEY, lowCodeToken: LOWCODE_TOKEN, processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const documents = () => sandbox.state.workflows.get('wf-invoices') as Array<{ document_id: string; pages: unknown[] }>;
const uploads = () => sandbox.requestsTo('/documents', 'POST');
const upload = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	options,
	...extra,
});
const pdfItem = (options: Parameters<typeof makePdf>[0] = {}, name = 'invoice.pdf'): INodeExecutionData[] => [binaryItem(makePdf(options), name)];

/** No run of 6 characters of the secret anywhere in the text. */
function expectNoPieceOf(secret: string, text: string | undefined) {
	const haystack = text ?? '';
	for (let at = 0; at + 6 <= secret.length; at++) expect(haystack).not.toContain(secret.slice(at, at + 6));
}

/** Starts a run that can be cancelled; resolves `ended` with the run and when it ended. */
function startRun(parameters: INodeParameters, items: INodeExecutionData[], pagesPerMinute: number) {
	let cancel: () => void = () => undefined;
	const ended = runNode({ parameters, items, credentials: credentialsFor(sandbox, pagesPerMinute), onStarted: (c) => (cancel = c) }).then(
		(run) => ({ run, at: Date.now() }),
	);
	return { ended, cancel: () => cancel() };
}

/** The promise's value, or 'still running' if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('secrets are redacted before a message is shortened', () => {
	test('a 400 that echoes the API key near character 490 leaves no piece of it in the error', async () => {
		sandbox.fault({ method: 'GET', status: 400, body: { message: `${'x'.repeat(490)}${API_KEY} was refused` } });
		const result = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId: 'doc-1' },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toMatch(/^Nanonets rejected the request: x{100}/);
		expectNoPieceOf(API_KEY, result.error?.message);
		expectNoPieceOf(API_KEY, result.error?.description);
		expectNoPieceOf(API_KEY, JSON.stringify(result.run));
	});

	test('a LowCodeAPI 502 text body with the token at character 282 leaves no piece of it in a Continue On Fail item', async () => {
		sandbox.fault({ method: 'GET', path: '/nanonets/', status: 502, times: 8, body: `Upstream failed for ${'y'.repeat(262)}${LOWCODE_TOKEN} (retry later)` });
		const result = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId: 'doc-1', authentication: 'lowCodeApi' },
			continueOnFail: true,
			credentials: credentialsFor(sandbox),
		});
		const [item] = jsonOf(result);
		expect(String(item.error)).toMatch(/server error \(502\)/);
		expectNoPieceOf(LOWCODE_TOKEN, JSON.stringify(result.items));
		expectNoPieceOf(LOWCODE_TOKEN, JSON.stringify(result.run));
	});

	test('a failed document whose verification message echoes the key near character 780 leaves no piece of it', async () => {
		sandbox.fault({
			method: 'GET',
			times: 50,
			body: (original: Record<string, unknown>) => ({ ...original, verification_message: `${'z'.repeat(780)}${API_KEY}` }),
		});
		const result = await runNode({
			parameters: upload({ pollInterval: 0.1 }, { inputType: 'url', documentUrl: 'https://files.example.com/blurred.pdf?outcome=failure' }),
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toMatch(/^Nanonets could not process document [\w-]+: z{100}/);
		expectNoPieceOf(API_KEY, result.error?.message);
		expectNoPieceOf(API_KEY, JSON.stringify(result.run));
	});
});

describe('waiting for a document is bounded by the Timeout option, and later errors name the document', () => {
	test('a document that takes longer than one request\'s timeout is still waited for, within the Timeout', async () => {
		const before = documents().length;
		const result = await runNode({
			parameters: upload({ requestTimeout: 0.5, timeout: 20, pollInterval: 0.2 }, { outputFormat: 'document' }),
			items: pdfItem({ spec: { delayMs: 1500, fields: { invoice_number: 'SLOW-1' } } }),
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		const [document] = jsonOf(result);
		expect(document).toMatchObject({ status: 'success', document_id: documents()[0].document_id });
		expect(uploads()).toHaveLength(1);
		expect(documents()).toHaveLength(before + 1);
	});

	test('an error while waiting names the accepted document, so a re-run fetches it instead of uploading again', async () => {
		// A status check refused (not retried, so the test stays quick); a 5xx after its retries is the same.
		sandbox.fault({ method: 'GET', status: 400, times: 20, body: { message: 'Bad request' } });
		const result = await runNode({
			parameters: upload({ timeout: 20, pollInterval: 0.1 }),
			items: pdfItem({ spec: { delayMs: 300 } }),
			credentials: credentialsFor(sandbox),
		});
		const documentId = documents()[0].document_id;
		expect(result.error?.message).toMatch(new RegExp(`^Nanonets rejected the request: Bad request \\(after Nanonets accepted document ${documentId}\\)$`));
		expect(result.error?.description).toContain(`Document ID ${documentId}`);
		expect(uploads()).toHaveLength(1);
	});
});

test('v2: an error while waiting for a prediction names the accepted file\'s request_file_id', async () => {
	sandbox.fault({ method: 'GET', path: 'GetPredictions', status: 400, times: 20, body: { message: 'Bad request' } });
	const result = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', options: { pollInterval: 0.1, timeout: 20 } },
		items: pdfItem(),
		credentials: credentialsFor(sandbox),
	});
	const requestFileId = /GetPredictions\/([^/]+)$/.exec(sandbox.requestsTo('GetPredictions', 'GET')[0]?.path ?? '')?.[1];
	expect(requestFileId).toBeTruthy();
	expect(result.error?.message).toMatch(new RegExp(`^Nanonets rejected the request: Bad request \\(after Nanonets accepted the file with request_file_id ${requestFileId}\\)$`));
	expect(result.error?.description).toContain(`Request File ID ${requestFileId}`);
	expect(sandbox.requestsTo('/LabelFile', 'POST')).toHaveLength(1);
});

describe('Retry-After', () => {
	test('Retry-After: 0 gets a floor: the retries are spread out, not fired in a burst', async () => {
		sandbox.fault({ method: 'GET', status: 429, times: 2, headers: { 'Retry-After': '0' }, body: { message: 'Too many requests' } });
		const documentId = sandbox.addDocument('wf-invoices');
		const result = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		const gets = sandbox.requestsTo('/documents', 'GET');
		expect(gets.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(gets[1].at - gets[0].at).toBeGreaterThanOrEqual(200);
		expect(gets[2].at - gets[1].at).toBeGreaterThanOrEqual(200);
	});

	test('a Retry-After longer than the Timeout fails at once, saying how long Nanonets asked to wait', async () => {
		sandbox.fault({ method: 'POST', status: 429, headers: { 'Retry-After': '300' }, body: { message: 'Hourly quota exceeded' } });
		const started = Date.now();
		const result = await runNode({ parameters: upload({ timeout: 5 }), items: pdfItem(), credentials: credentialsFor(sandbox) });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error?.message).toMatch(/^Nanonets' rate limit was exceeded and it asked to wait 300 seconds \(Retry-After\), longer than the Timeout option allows: Hourly quota exceeded/);
		expect(result.error?.httpCode).toBe('429');
		expect(uploads()).toHaveLength(1);
	});

	test('a Retry-After is honoured while it fits in the Timeout; the error then says how long was asked', async () => {
		sandbox.fault({ method: 'POST', status: 429, times: 2, headers: { 'Retry-After': '2' }, body: { message: 'Too many requests' } });
		const result = await runNode({ parameters: upload({ timeout: 3 }), items: pdfItem(), credentials: credentialsFor(sandbox) });
		expect(uploads().map((r) => r.status)).toEqual([429, 429]);
		expect(uploads()[1].at - uploads()[0].at).toBeGreaterThanOrEqual(1900);
		expect(result.error?.message).toMatch(/asked to wait 2 seconds/);
	});
});

describe('the page budget', () => {
	test('a cancelled request queued behind a full window leaves at once and books nothing', async () => {
		// A budget of 2 pages a minute: the first upload books 1.
		const first = await runNode({ parameters: upload({}, { waitForCompletion: false }), items: pdfItem(), credentials: credentialsFor(sandbox, 2) });
		expect(first.error).toBeUndefined();
		// 2 more pages do not fit before a minute has passed: this one waits at the head.
		const head = startRun(upload({}, { waitForCompletion: false }), pdfItem({ pages: 2 }), 2);
		await sleep(200);
		// Behind it, a 1-page upload waits for its turn; then its execution is cancelled.
		const queued = startRun(upload({}, { waitForCompletion: false }), pdfItem(), 2);
		await sleep(200);
		const cancelledAt = Date.now();
		queued.cancel();
		const ended = await within(queued.ended, 2000);
		expect(ended).not.toBe('still running');
		if (ended === 'still running') return;
		expect(ended.at - cancelledAt).toBeLessThan(1000);
		expect(ended.run.run.status).toBe('canceled');

		head.cancel();
		await head.ended;
		// The window holds 1 page of 2: an upload fits at once, as nothing was booked for the cancelled ones.
		const next = await within(
			runNode({ parameters: upload({}, { waitForCompletion: false }), items: pdfItem(), credentials: credentialsFor(sandbox, 2) }),
			5000,
		);
		expect(next).not.toBe('still running');
		expect((next as NodeRun).error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
	});

	test('a PDF 1.5 with its pages in a compressed object stream counts as its 5 pages, not 1', async () => {
		const pdf = makeObjectStreamPdf({ pages: 5 });
		const first = await runNode({
			parameters: upload({}, { waitForCompletion: false }),
			items: [binaryItem(pdf, 'compressed.pdf')],
			credentials: credentialsFor(sandbox, 5),
		});
		expect(first.error).toBeUndefined();
		// Nanonets (the sandbox, inflating the object stream) sees 5 pages.
		expect(documents()[0].pages).toHaveLength(5);
		// The budget of 5 pages a minute is full: one more page must wait, so nothing is sent.
		const next = startRun(upload({}, { waitForCompletion: false }), pdfItem(), 5);
		await sleep(800);
		next.cancel();
		await next.ended;
		expect(uploads()).toHaveLength(1);
	});
});
