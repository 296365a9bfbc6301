import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makeExe, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * The extraction API's failure paths: `{ detail }` answers (text, or a 422 list) as clear
 * messages, 400/401/404/422/429, failed records, timeouts, cancellation, bad input refused
 * before anything is sent, pacing to the credential's Pages per Minute.
 */

const EXTRACTION_KEY = 'xK9mQ2vR7tW4zB8nL3pJ6hF1cD5sA0gY';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionKey: EXTRACTION_KEY, extractionProcessingMs: 150, extractionSyncMs: 5 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const spec = { fields: { invoice_number: 'INV-1' }, rows: [] };
const pdf = (name = 'invoice.pdf', options: Parameters<typeof makePdf>[0] = { spec }): INodeExecutionData => binaryItem(makePdf(options), name);

function run(parameters: INodeParameters, items?: INodeExecutionData[], more: Partial<Parameters<typeof runNode>[0]> = {}): Promise<NodeRun> {
	return runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', ...parameters },
		items,
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		...more,
	});
}

function expectNoKey(result: NodeRun) {
	const texts = [result.error?.message, result.error?.description, JSON.stringify(jsonOf(result))];
	for (const text of texts) for (let at = 0; at + 6 <= EXTRACTION_KEY.length; at++) expect(text ?? '').not.toContain(EXTRACTION_KEY.slice(at, at + 6));
}

test('401: a refused key names the extraction credential, never the key', async () => {
	const credentials = credentialsFor(sandbox);
	const result = await runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary' },
		items: [pdf()],
		credentials: { ...credentials, nanonetsExtractionApi: { ...credentials.nanonetsExtractionApi, apiKey: `${EXTRACTION_KEY}-old` } },
		typeVersion: 2,
	});
	expect(result.error?.httpCode).toBe('401');
	expect(result.error?.message).toBe('Nanonets refused the credentials: Invalid or missing API key');
	expect(result.error?.description).toMatch(/"Nanonets Extraction API" credential/);
	expectNoKey(result);
});

test('400: a URL Nanonets cannot download gives Nanonets\' own detail', async () => {
	const result = await run({ inputType: 'url', documentUrl: 'https://bad.example/invoice.pdf' });
	expect(result.error?.httpCode).toBe('400');
	expect(result.error?.message).toBe('Nanonets rejected the request: Could not download the file from https://bad.example/invoice.pdf: 404 Not Found');
	// Not "too long": it did not go on to the async endpoint.
	expect(sandbox.requestsTo('/extract/async')).toHaveLength(0);
});

test('422: a validation list reads as "field: message"', async () => {
	sandbox.fault({
		path: '/extract/sync',
		status: 422,
		body: { detail: [{ loc: ['body', 'output_format'], msg: 'field required', type: 'value_error.missing' }, { loc: ['body', 'file'], msg: 'invalid file', type: 'value_error' }] },
	});
	const result = await run({}, [pdf()]);
	expect(result.error?.httpCode).toBe('422');
	expect(result.error?.message).toBe('Nanonets could not accept the request\'s fields: output_format: field required; file: invalid file');
	expect(result.error?.description).toMatch(/Check the node's parameters/);
});

test('404: an unknown record ID', async () => {
	const result = await runNode({
		parameters: { resource: 'extraction', operation: 'getResult', recordId: 'no-such-record' },
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
	});
	expect(result.error?.httpCode).toBe('404');
	expect(result.error?.message).toBe('Not found: Record no-such-record not found');
	expect(result.error?.description).toMatch(/Check the Record ID/);
});

test('429: retried after Retry-After, then the result', async () => {
	sandbox.fault({ path: '/extract/sync', status: 429, body: { detail: 'Rate limit exceeded' }, headers: { 'Retry-After': '0.3' }, times: 2 });
	const result = await run({}, [pdf()]);
	expect(result.error).toBeUndefined();
	const calls = sandbox.requestsTo('/extract/sync', 'POST');
	expect(calls.map((r) => r.status)).toEqual([429, 429, 200]);
	expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(290);
	expect(jsonOf(result)[0].status).toBe('completed');
});

test('429 asking for longer than the Timeout allows: a clear error, not a hang', async () => {
	sandbox.fault({ path: '/extract/sync', status: 429, body: { detail: 'Rate limit exceeded' }, headers: { 'Retry-After': '3600' } });
	const result = await run({ options: { timeout: 5 } }, [pdf()]);
	expect(result.error?.message).toMatch(/asked to wait 3600 seconds/);
	expect(result.error?.description).toMatch(/Pages per Minute.*free 20, pay-as-you-go 300/);
});

test('a connection reset during an extraction is not repeated (it may have been received) and says where to look', async () => {
	sandbox.fault({ path: '/extract/sync', reset: true });
	const result = await run({}, [pdf()]);
	expect(result.error?.message).toMatch(/^Could not reach Nanonets at http:\/\/127\.0\.0\.1:\d+: .*; the upload was not repeated, so that it cannot create a duplicate$/);
	expect(result.error?.description).toMatch(/Extraction > Get Many/);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(1);
});

test('a failed record is an error naming the file and the record', async () => {
	const result = await run({ options: { pollInterval: 0.1 } }, [pdf('long.pdf', { pages: 7, spec: { outcome: 'failure' } })]);
	expect(result.error?.message).toMatch(/^Nanonets could not extract "long.pdf" \(record [0-9a-f-]+\): Extraction failed/);
});

test('a record still processing at the Timeout: the error names the record ID to fetch later', async () => {
	const result = await run({ options: { pollInterval: 0.2, timeout: 1 } }, [pdf('slow.pdf', { pages: 6, spec: { never: true } })]);
	expect(result.error?.message).toMatch(/^The extraction [0-9a-f-]+ was not finished within 1 second \(item 1\)$/);
	expect(result.error?.description).toMatch(/Extraction > Get Result and Record ID [0-9a-f-]+/);
});

test('cancelling the execution stops the waiting at once', async () => {
	let cancel: () => void = () => undefined;
	const started = Date.now();
	const running = runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', options: { pollInterval: 0.2, timeout: 60 } },
		items: [pdf('slow.pdf', { pages: 6, spec: { never: true } })],
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		onStarted: (c) => (cancel = c),
	});
	await new Promise((resolve) => setTimeout(resolve, 500));
	cancel();
	const result = await running;
	expect(Date.now() - started).toBeLessThan(3000);
	expect(result.run.status).toBe('canceled');
});

describe('bad input is refused before anything is sent', () => {
	test.each([
		['no binary field', { binaryPropertyName: 'attachment' }, [pdf()], /has no binary field "attachment"/],
		['not a document', {}, [binaryItem(makeExe(), 'x.pdf')], /is not a supported type/],
		['a URL that is not http(s)', { inputType: 'url', documentUrl: 'ftp://example.com/a.pdf' }, undefined, /is not an http\(s\) URL/],
		['no output format', { outputFormats: '={{ [] }}' }, [pdf()], /"Output Formats" parameter is empty/],
		['a JSON schema that does not parse', { outputFormats: ['json'], jsonSchema: '{ "type": ' }, [pdf()], /"JSON Schema" parameter is not valid JSON/],
		['a JSON schema that is a list', { outputFormats: ['json'], jsonSchema: '["a"]' }, [pdf()], /must be a JSON object/],
		['Replace without instructions', { options: { promptMode: 'replace' } }, [pdf()], /Prompt Mode "Replace" needs Custom Instructions/],
		['instructions over 8000 characters', { options: { customInstructions: 'x'.repeat(8001) } }, [pdf()], /8001 characters long; Nanonets accepts at most 8000/],
		['a file attached that is not extracted', { outputFormats: ['markdown'], options: { attachAsFile: ['csv'] } }, [pdf()], /"Attach as File" names csv/],
	])('%s', async (_name, parameters, items, message) => {
		const result = await run(parameters as INodeParameters, items as INodeExecutionData[] | undefined);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/item 1/);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	test('Get Result with an ID that could change the path', async () => {
		const result = await runNode({ parameters: { resource: 'extraction', operation: 'getResult', recordId: '../results' }, credentials: credentialsFor(sandbox), typeVersion: 2 });
		expect(result.error?.message).toMatch(/"Record ID" parameter is not a valid ID/);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});

test('Continue On Fail: a failing item is its own error, paired; the others go on', async () => {
	const result = await run({ inputType: 'url', documentUrl: '={{ $json.url }}' }, [
		{ json: { url: 'https://example.com/a.pdf' } },
		{ json: { url: 'https://bad.example/b.pdf' } },
		{ json: { url: 'https://example.com/c.pdf' } },
	], { continueOnFail: true });
	expect(result.error).toBeUndefined();
	const items = jsonOf(result);
	expect(items[0]).toMatchObject({ status: 'completed', filename: 'a.pdf' });
	expect(items[1]).toMatchObject({ error: expect.stringMatching(/Could not download the file/) });
	expect(result.items[1].error).toMatchObject({ httpCode: '400' });
	expect(items[2]).toMatchObject({ status: 'completed', filename: 'c.pdf' });
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

describe('pacing to the credential\'s Pages per Minute', () => {
	let paced: Sandbox;
	beforeAll(async () => {
		// Nanonets' own limit, 3 pages a minute, would answer 429 to a fourth page.
		paced = await openSandbox({ extractionKey: EXTRACTION_KEY, extractionPagesPerMinute: 3, extractionSyncMs: 5 });
	});
	afterAll(async () => await paced.close());

	test('three one-page documents go at once; the fourth waits for the minute instead of running into a 429', async () => {
		let cancel: () => void = () => undefined;
		const running = runNode({
			parameters: { resource: 'extraction', operation: 'extract', inputType: 'url', documentUrl: '={{ $json.url }}' },
			items: ['a', 'b', 'c', 'd'].map((name) => ({ json: { url: `https://example.com/${name}.pdf` } })),
			credentials: credentialsFor(paced, 3),
			typeVersion: 2,
			onStarted: (c) => (cancel = c),
		});
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const sent = paced.requestsTo('/extract/sync', 'POST');
		expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
		cancel();
		const result = await running;
		expect(result.run.status).toBe('canceled');
		expect(paced.requestsTo('/extract/sync', 'POST')).toHaveLength(3);
	});
});
