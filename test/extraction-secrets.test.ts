/**
 * Secret hygiene for the extraction API's credential: every extraction, classification and chat
 * operation, on success and failure paths, with a recognisable key. The key never appears, raw,
 * as its Bearer header, base64- or URL-encoded, in any output item, error message, error
 * description, or anything n8n stores with the execution, even when Nanonets echoes it.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const EXTRACTION_KEY = 'XKEY-c0ffee/3xtr+act=SECRET';
const secretForms = [
	EXTRACTION_KEY,
	`Bearer ${EXTRACTION_KEY}`,
	Buffer.from(EXTRACTION_KEY).toString('base64'),
	Buffer.from(`${EXTRACTION_KEY}:`).toString('base64'),
	encodeURIComponent(EXTRACTION_KEY),
	'SECRET',
];

let sandbox: Sandbox;
let recordId = '';
beforeAll(async () => {
	sandbox = await openSandbox({ extractionKey: EXTRACTION_KEY, extractionProcessingMs: 50, extractionSyncMs: 1 });
	const seeded = await runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary' },
		items: [binaryItem(makePdf(), 'seed.pdf')],
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
	});
	recordId = String(jsonOf(seeded)[0].record_id);
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/** What a careless server might answer: the key as received, in its Bearer header. */
const echo = `Invalid key ${EXTRACTION_KEY} (Authorization: Bearer ${EXTRACTION_KEY})`;
const extract = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'extraction', operation: 'extract', inputType: 'binary', ...extra });
const pdf = (options: Parameters<typeof makePdf>[0] = {}) => () => [binaryItem(makePdf(options), 'invoice.pdf')];
const categories = { category: [{ name: 'Invoice' }] };

const cases: Array<{ name: string; outcome: 'success' | 'failure'; parameters: () => INodeParameters; items?: () => INodeExecutionData[]; faults?: Array<Record<string, unknown>> }> = [
	{ name: 'extract sync, every format', outcome: 'success', parameters: () => extract({ outputFormats: ['markdown', 'html', 'json', 'csv'], options: { attachAsFile: ['csv'] } }), items: pdf() },
	{ name: 'extract async, waiting', outcome: 'success', parameters: () => extract({ options: { pollInterval: 0.1 } }), items: pdf({ pages: 7 }) },
	{ name: 'extract in a batch', outcome: 'success', parameters: () => extract({ options: { pollInterval: 0.1, concurrency: 2 } }), items: () => [1, 2, 3].map((n) => binaryItem(makePdf({ title: `I${n}` }), `i${n}.pdf`)) },
	{ name: 'extract by URL', outcome: 'success', parameters: () => extract({ inputType: 'url', documentUrl: 'https://files.example.com/a.pdf' }) },
	{ name: 'get result', outcome: 'success', parameters: () => ({ resource: 'extraction', operation: 'getResult', recordId }) },
	{ name: 'get many', outcome: 'success', parameters: () => ({ resource: 'extraction', operation: 'getAll', returnAll: true }) },
	{ name: 'classify', outcome: 'success', parameters: () => ({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories }), items: pdf() },
	{ name: 'chat about an image', outcome: 'success', parameters: () => ({ resource: 'chat', operation: 'complete', prompt: 'What is it?', inputType: 'binary' }), items: () => [binaryItem(makePng(), 'p.png', 'image/png')] },
	{ name: 'extract answered 401 echoing the key', outcome: 'failure', parameters: () => extract(), items: pdf(), faults: [{ status: 401, body: { detail: echo } }] },
	{ name: 'extract answered 422 echoing the key in a list', outcome: 'failure', parameters: () => extract(), items: pdf(), faults: [{ status: 422, body: { detail: [{ loc: ['header', 'authorization'], msg: echo, type: 'value_error' }] } }] },
	{ name: 'extract answered 500 echoing the key (not repeated)', outcome: 'failure', parameters: () => extract(), items: pdf(), faults: [{ status: 500, body: { detail: echo } }] },
	{ name: 'extract answered with an HTML page echoing the key', outcome: 'failure', parameters: () => extract(), items: pdf(), faults: [{ status: 200, body: `<html><title>${echo}</title></html>` }] },
	{ name: 'extract whose connection is reset', outcome: 'failure', parameters: () => extract(), items: pdf(), faults: [{ reset: true }] },
	{ name: 'extract whose wait times out', outcome: 'failure', parameters: () => extract({ options: { pollInterval: 0.2, timeout: 1 } }), items: pdf({ pages: 7, spec: { never: true } }) },
	{ name: 'extract of a document that fails', outcome: 'failure', parameters: () => extract({ options: { pollInterval: 0.1 } }), items: pdf({ pages: 7, spec: { outcome: 'failure' } }) },
	{ name: 'extract rate-limited beyond the Timeout', outcome: 'failure', parameters: () => extract({ options: { timeout: 2 } }), items: pdf(), faults: [{ status: 429, body: { detail: echo }, headers: { 'Retry-After': '600' } }] },
	{ name: 'batch answered 401 echoing the key', outcome: 'failure', parameters: () => extract({ options: { concurrency: 2 } }), items: () => [1, 2, 3].map((n) => binaryItem(makePdf(), `i${n}.pdf`)), faults: [{ path: '/extract/batch', status: 401, body: { detail: echo } }] },
	{ name: 'get result of an unknown record', outcome: 'failure', parameters: () => ({ resource: 'extraction', operation: 'getResult', recordId: 'missing' }) },
	{ name: 'get many answered 401 echoing the key', outcome: 'failure', parameters: () => ({ resource: 'extraction', operation: 'getAll', returnAll: true }), faults: [{ status: 401, body: { detail: echo } }] },
	{ name: 'classify answered 500 echoing the key', outcome: 'failure', parameters: () => ({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories }), items: pdf(), faults: [{ status: 500, body: { detail: echo } }] },
	{ name: 'chat answered 401 echoing the key', outcome: 'failure', parameters: () => ({ resource: 'chat', operation: 'complete', prompt: 'Hi', inputType: 'url', documentUrl: 'https://files.example.com/a.pdf' }), faults: [{ status: 401, body: { detail: echo } }] },
];

function expectNoSecret(label: string, text: string | undefined | null) {
	for (const form of secretForms) {
		if (text?.includes(form)) throw new Error(`${label} contains a form of the key ("${form}"): ${text.slice(0, 300)}`);
	}
}

function expectClean(result: NodeRun) {
	for (const item of result.items) expectNoSecret('an output item', JSON.stringify(item));
	expectNoSecret('the error message', result.error?.message);
	expectNoSecret('the error description', result.error?.description);
	expectNoSecret('the stored execution', JSON.stringify(result.run));
}

test.each(cases)('$name ($outcome): no key in items, errors or the stored execution', async (row) => {
	for (const fault of row.faults ?? []) sandbox.fault({ path: '/extraction-api/', ...fault });
	const result = await runNode({ parameters: row.parameters(), items: row.items?.(), credentials: credentialsFor(sandbox), typeVersion: 2 });
	if (row.outcome === 'success') {
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
	} else {
		expect(result.error?.message).toBeTruthy();
	}
	expect(sandbox.state.requests.length).toBeGreaterThan(0);
	if (/batch/.test(row.name)) expect(sandbox.requestsTo('/extract/batch', 'POST')).toHaveLength(1);
	expectClean(result);
});

test('with Continue On Fail, error items carry no key either', async () => {
	sandbox.fault({ path: '/extract/sync', status: 401, body: { detail: echo }, times: 2 });
	const result = await runNode({
		parameters: extract(),
		items: [binaryItem(makePdf(), 'a.pdf'), binaryItem(makePdf(), 'b.pdf')],
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		continueOnFail: true,
	});
	expect(result.items.filter((item) => item.json.error)).toHaveLength(2);
	// Nanonets' message is kept, with the key blacked out.
	expect(result.items[0].json.error).toBe('Nanonets refused the credentials: Invalid key *** (Authorization: Bearer ***)');
	expectClean(result);
});
