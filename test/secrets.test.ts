/**
 * Secret hygiene: every operation (Document and v2) and the Nanonets Trigger, on their success
 * and failure paths, under both credential types, with a recognisable API key and LowCodeAPI token. Neither appears, raw,
 * base64-encoded as in the Basic header, or URL-encoded as in the query string, in any output
 * item, error message, error description, or anything n8n stores with the execution.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, pollNode, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

// Characters that URL encoding changes, so the encoded forms differ from the raw ones.
const API_KEY = 'KEY-c0ffee/4pi+k3y=SECRET';
const LOWCODE_TOKEN = 'TOKEN-10wc0de/t0k+en=SECRET';

function forms(secret: string): string[] {
	return [
		secret,
		Buffer.from(`${secret}:`).toString('base64'),
		Buffer.from(secret).toString('base64'),
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		'SECRET', // the recognisable tail, in case a secret is cut or re-encoded some other way
	];
}
const secretForms = [...forms(API_KEY), ...forms(LOWCODE_TOKEN)];

let sandbox: Sandbox;
const ids: { documentId: string; pageId: string; toDelete: string[]; requestFileId: string; predictedPageId: string } = {
	documentId: '',
	pageId: '',
	toDelete: [],
	requestFileId: '',
	predictedPageId: '',
};

beforeAll(async () => {
	sandbox = await openSandbox({ apiKey: API_KEY, lowCodeToken: LOWCODE_TOKEN, processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
	for (let i = 0; i < 3; i++) {
		const result = await runNode({
			parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices' },
			items: [binaryItem(makePdf({ title: `Invoice ${i}` }), `invoice-${i}.pdf`)],
			credentials: credentialsFor(sandbox),
		});
		const [document] = jsonOf(result);
		if (i === 0) {
			ids.documentId = String(document.document_id);
			ids.pageId = String((document.pages as Array<{ page_id: string }>)[0].page_id);
		} else ids.toDelete.push(String(document.document_id));
	}
	const predicted = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', options: { pollInterval: 0.1 } },
		items: [binaryItem(makePdf({ spec: { fields: { invoice_number: 'S-1' } } }), 'predicted.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [file] = jsonOf(predicted);
	ids.requestFileId = String(file.request_file_id);
	ids.predictedPageId = String((file.pages as Array<{ id: string }>)[0].id);
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const base = { resource: 'document', workflowId: 'wf-invoices' };

interface SecretCase {
	name: string;
	outcome: 'success' | 'failure';
	parameters: () => INodeParameters;
	items?: () => INodeExecutionData[];
	faults?: (authentication: string) => Array<Record<string, unknown>>;
}

/** An error text that repeats, in every form, the secret in use (some APIs echo what they got). */
function echo(authentication: string): string {
	if (authentication === 'apiKey') return `Invalid API key ${API_KEY} (Basic ${Buffer.from(`${API_KEY}:`).toString('base64')})`;
	return `Invalid token ${LOWCODE_TOKEN} in /nanonets/api?api_token=${encodeURIComponent(LOWCODE_TOKEN)}`;
}

const secretCases: SecretCase[] = [
	{
		name: 'upload of a file, waiting',
		outcome: 'success',
		parameters: () => ({ ...base, operation: 'upload', outputFormat: 'simplified' }),
		items: () => [binaryItem(makePdf(), 'invoice.pdf')],
	},
	{ name: 'upload by URL, not waiting', outcome: 'success', parameters: () => ({ ...base, operation: 'upload', inputType: 'url', documentUrl: 'https://files.example.com/a.pdf', waitForCompletion: false }) },
	{ name: 'get', outcome: 'success', parameters: () => ({ ...base, operation: 'get', documentId: ids.documentId, outputFormat: 'fields' }) },
	{ name: 'get many', outcome: 'success', parameters: () => ({ ...base, operation: 'getAll', returnAll: true }) },
	{ name: 'get page', outcome: 'success', parameters: () => ({ ...base, operation: 'getPage', documentId: ids.documentId, pageId: ids.pageId, outputFormat: 'tableRows' }) },
	{ name: 'delete', outcome: 'success', parameters: () => ({ ...base, operation: 'delete', documentId: ids.toDelete.shift() ?? 'none' }) },
	{ name: 'upload refused with a 500 (not repeated)', outcome: 'failure', parameters: () => ({ ...base, operation: 'upload', waitForCompletion: false }), items: () => [binaryItem(makePdf(), 'a.pdf')], faults: () => [{ method: 'POST', status: 500 }] },
	{ name: 'upload whose connection is reset', outcome: 'failure', parameters: () => ({ ...base, operation: 'upload', waitForCompletion: false }), items: () => [binaryItem(makePdf(), 'a.pdf')], faults: () => [{ method: 'POST', reset: true }] },
	{ name: 'upload of a document that fails', outcome: 'failure', parameters: () => ({ ...base, operation: 'upload', inputType: 'url', documentUrl: 'https://files.example.com/a.pdf?outcome=failure', options: { pollInterval: 0.1 } }) },
	{ name: 'upload whose wait times out', outcome: 'failure', parameters: () => ({ ...base, operation: 'upload', inputType: 'url', documentUrl: 'https://files.example.com/a.pdf?never=true', options: { pollInterval: 0.2, timeout: 1 } }) },
	{ name: 'get of an unknown document (404)', outcome: 'failure', parameters: () => ({ ...base, operation: 'get', documentId: 'missing' }) },
	{ name: 'get answered with an error that repeats the secrets', outcome: 'failure', parameters: () => ({ ...base, operation: 'get', documentId: ids.documentId }), faults: (auth) => [{ method: 'GET', status: 401, body: { message: echo(auth) } }] },
	{ name: 'get answered with an HTML page that repeats the secrets', outcome: 'failure', parameters: () => ({ ...base, operation: 'get', documentId: ids.documentId }), faults: (auth) => [{ method: 'GET', status: 200, body: `<html><title>${echo(auth)}</title></html>` }] },
	{ name: 'get answered in the wrong shape', outcome: 'failure', parameters: () => ({ ...base, operation: 'get', documentId: ids.documentId }), faults: () => [{ method: 'GET', body: { document_id: [] } }] },
	{ name: 'get many of an unknown workflow', outcome: 'failure', parameters: () => ({ ...base, operation: 'getAll', workflowId: 'wf-unknown', limit: 5 }) },
	{ name: 'get page of an unknown page', outcome: 'failure', parameters: () => ({ ...base, operation: 'getPage', documentId: ids.documentId, pageId: 'missing' }) },
	{ name: 'delete of an unknown document', outcome: 'failure', parameters: () => ({ ...base, operation: 'delete', documentId: 'missing' }) },
	{ name: 'delete that never gets an answer', outcome: 'failure', parameters: () => ({ ...base, operation: 'delete', documentId: 'missing' }), faults: () => [{ method: 'DELETE', reset: true, times: 4 }] },
	// v2
	{ name: 'full text of a file', outcome: 'success', parameters: () => ({ resource: 'fullText', operation: 'extract' }), items: () => [binaryItem(makePdf(), 'scan.pdf')] },
	{ name: 'full text of URLs, one bad (202)', outcome: 'success', parameters: () => ({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://a.example/1.png, https://bad.example/2.png' }) },
	{ name: 'full text refused with a 500 that repeats the secrets', outcome: 'failure', parameters: () => ({ resource: 'fullText', operation: 'extract' }), items: () => [binaryItem(makePng(), 'a.png', 'image/png')], faults: (auth) => [{ method: 'POST', status: 500, body: { message: echo(auth) } }] },
	{ name: 'OCR model create', outcome: 'success', parameters: () => ({ resource: 'ocrModel', operation: 'create', categories: 'invoice_number, total' }) },
	{ name: 'OCR model create answered with a 400 that repeats the secrets', outcome: 'failure', parameters: () => ({ resource: 'ocrModel', operation: 'create', categories: 'a' }), faults: (auth) => [{ method: 'POST', status: 400, body: { message: echo(auth) } }] },
	{ name: 'OCR model get', outcome: 'success', parameters: () => ({ resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices' }) },
	{ name: 'OCR model get of an unknown model', outcome: 'failure', parameters: () => ({ resource: 'ocrModel', operation: 'get', modelId: 'no-such-model' }) },
	{ name: 'OCR model train', outcome: 'success', parameters: () => ({ resource: 'ocrModel', operation: 'train', modelId: 'ocr-invoices' }) },
	{ name: 'OCR model train answered with a 401 that repeats the secrets', outcome: 'failure', parameters: () => ({ resource: 'ocrModel', operation: 'train', modelId: 'ocr-invoices' }), faults: (auth) => [{ method: 'POST', status: 401, body: { message: echo(auth) } }] },
	{ name: 'OCR training file upload', outcome: 'success', parameters: () => ({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'ocr-invoices' }), items: () => [binaryItem(makePng(), 'train.png', 'image/png')] },
	{ name: 'OCR training URL upload, one bad (202)', outcome: 'success', parameters: () => ({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://a.example/1.png, https://bad.example/2.png' }) },
	{ name: 'OCR training upload to an unknown model', outcome: 'failure', parameters: () => ({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'no-such-model', inputType: 'url', urls: 'https://a.example/1.png' }) },
	{ name: 'OCR prediction of a file, waiting', outcome: 'success', parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', outputFormat: 'fields', options: { pollInterval: 0.1 } }), items: () => [binaryItem(makePdf(), 'p.pdf')] },
	{ name: 'OCR prediction of URLs, not waiting', outcome: 'success', parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://a.example/1.pdf', waitForCompletion: false }) },
	{ name: 'OCR prediction without free calls (402)', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'model-no-credits' }), items: () => [binaryItem(makePng(), 'x.png', 'image/png')] },
	{ name: 'OCR prediction whose wait times out', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', options: { pollInterval: 0.2, timeout: 1 } }), items: () => [binaryItem(makePdf({ spec: { never: true } }), 'stuck.pdf')] },
	{ name: 'OCR prediction whose connection is reset', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices' }), items: () => [binaryItem(makePdf(), 'p.pdf')], faults: () => [{ method: 'POST', reset: true }] },
	{ name: 'OCR prediction get by file', outcome: 'success', parameters: () => ({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId: ids.requestFileId, outputFormat: 'simplified' }) },
	{ name: 'OCR prediction get by file of an unknown file', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId: 'missing' }) },
	{ name: 'OCR prediction get by page', outcome: 'success', parameters: () => ({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: ids.predictedPageId, outputFormat: 'tableRows' }) },
	{ name: 'OCR prediction get by page answered with an HTML page that repeats the secrets', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: ids.predictedPageId }), faults: (auth) => [{ method: 'GET', status: 200, body: `<html><title>${echo(auth)}</title></html>` }] },
	{ name: 'OCR prediction get many', outcome: 'success', parameters: () => ({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', returnAll: true }) },
	{ name: 'OCR prediction get many answered in the wrong shape', outcome: 'failure', parameters: () => ({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', returnAll: true }), faults: () => [{ method: 'GET', body: [] }] },
	{ name: 'image model create', outcome: 'success', parameters: () => ({ resource: 'imageModel', operation: 'create', categories: 'cat, dog' }) },
	{ name: 'image model create refused with a 500 (not repeated)', outcome: 'failure', parameters: () => ({ resource: 'imageModel', operation: 'create', categories: 'cat, dog' }), faults: (auth) => [{ method: 'POST', status: 500, body: { message: echo(auth) } }] },
	{ name: 'image model get', outcome: 'success', parameters: () => ({ resource: 'imageModel', operation: 'get', modelId: 'ic-animals' }) },
	{ name: 'image model get of an unknown model', outcome: 'failure', parameters: () => ({ resource: 'imageModel', operation: 'get', modelId: 'no-such-model' }) },
	{ name: 'image model get many', outcome: 'success', parameters: () => ({ resource: 'imageModel', operation: 'getAll', returnAll: true }) },
	{ name: 'image model get many answered with a 401 that repeats the secrets', outcome: 'failure', parameters: () => ({ resource: 'imageModel', operation: 'getAll', returnAll: true }), faults: (auth) => [{ method: 'GET', status: 401, body: { message: echo(auth) } }] },
	{ name: 'image model train', outcome: 'success', parameters: () => ({ resource: 'imageModel', operation: 'train', modelId: 'ic-animals' }) },
	{ name: 'image model train of an unknown model', outcome: 'failure', parameters: () => ({ resource: 'imageModel', operation: 'train', modelId: 'no-such-model' }) },
	{ name: 'image training file upload', outcome: 'success', parameters: () => ({ resource: 'imageModel', operation: 'uploadTrainingData', modelId: 'ic-animals', category: 'cat' }), items: () => [binaryItem(makePng(), 'cat.png', 'image/png')] },
	{ name: 'image training upload of a category the model lacks', outcome: 'failure', parameters: () => ({ resource: 'imageModel', operation: 'uploadTrainingData', modelId: 'ic-animals', category: 'fox', inputType: 'url', urls: 'https://a.example/fox.jpg' }) },
	{ name: 'image classification of a file', outcome: 'success', parameters: () => ({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals' }), items: () => [binaryItem(makePng(), 'pet.png', 'image/png')] },
	{ name: 'image classification answered in the wrong shape', outcome: 'failure', parameters: () => ({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://a.example/1.jpg' }), faults: () => [{ method: 'POST', body: { result: 'none' } }] },
];

const authentications = ['apiKey', 'lowCodeApi'] as const;
const rows = authentications.flatMap((authentication) => secretCases.map((c) => ({ ...c, authentication })));

function expectNoSecret(label: string, text: string | undefined | null) {
	for (const form of secretForms) {
		if (text?.includes(form)) throw new Error(`${label} contains a form of a secret ("${form}"): ${text.slice(0, 300)}`);
	}
}

function expectClean(result: NodeRun) {
	for (const item of result.items) expectNoSecret('an output item', JSON.stringify(item));
	expectNoSecret('the error message', result.error?.message);
	expectNoSecret('the error description', result.error?.description);
	expectNoSecret('the stored execution', JSON.stringify(result.run));
}

test.each(rows)('$authentication, $name ($outcome): no secret in items, errors or the stored execution', async (row) => {
	for (const fault of row.faults?.(row.authentication) ?? []) sandbox.fault(fault);
	const result = await runNode({
		parameters: { ...row.parameters(), authentication: row.authentication },
		items: row.items?.(),
		credentials: credentialsFor(sandbox),
	});
	if (row.outcome === 'success') {
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
	} else {
		expect(result.error?.message).toBeTruthy();
	}
	// The secrets were really in use: the sandbox accepted them on at least one request.
	expect(sandbox.state.requests.length).toBeGreaterThan(0);
	expectClean(result);
});

test.each(authentications)('%s: with Continue On Fail, error items carry no secret either', async (authentication) => {
	sandbox.fault({ method: 'GET', status: 401, body: { message: echo(authentication) }, times: 2 });
	const result = await runNode({
		parameters: { ...base, operation: 'get', documentId: ids.documentId, authentication },
		items: [{ json: {} }, { json: {} }, { json: {} }],
		continueOnFail: true,
		credentials: credentialsFor(sandbox),
	});
	expect(result.items.filter((item) => item.json.error)).toHaveLength(2);
	expectClean(result);
});

/** The Nanonets Trigger: its items, its thrown error, and the static data n8n stores for it. */
const triggerCases: Array<{ name: string; outcome: 'success' | 'failure'; faults?: (authentication: string) => Array<Record<string, unknown>>; workflowId?: string; mode?: 'trigger' | 'manual' }> = [
	{ name: 'a poll that emits documents', outcome: 'success' },
	{ name: 'a manual test run', outcome: 'success', mode: 'manual' },
	{ name: 'a poll of an unknown workflow', outcome: 'failure', workflowId: 'wf-unknown' },
	{ name: 'a poll answered with a 401 that repeats the secrets', outcome: 'failure', faults: (auth) => [{ method: 'GET', status: 401, body: { message: echo(auth) } }] },
	{ name: 'a poll answered with an HTML page that repeats the secrets', outcome: 'failure', faults: (auth) => [{ method: 'GET', status: 200, body: `<html><title>${echo(auth)}</title></html>`, times: 4 }] },
];
const triggerRows = authentications.flatMap((authentication) => triggerCases.map((c) => ({ ...c, authentication })));

test.each(triggerRows)('trigger, $authentication, $name ($outcome): no secret in items, errors or static data', async (row) => {
	const parameters = { authentication: row.authentication, workflowId: row.workflowId ?? 'wf-invoices', event: 'documentProcessed', outputFormat: 'simplified' };
	// An active trigger's first poll only records what exists: emitting takes a second poll.
	let staticData = {};
	if (row.outcome === 'success' && row.mode !== 'manual') {
		staticData = (await pollNode({ parameters, credentials: credentialsFor(sandbox) })).staticData;
		sandbox.addDocument('wf-invoices', { name: 'new.pdf' });
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	for (const fault of row.faults?.(row.authentication) ?? []) sandbox.fault(fault);
	const result = await pollNode({ parameters, credentials: credentialsFor(sandbox), mode: row.mode, staticData });
	if (row.outcome === 'success') {
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
	} else {
		expect(result.error?.message).toBeTruthy();
	}
	expect(sandbox.state.requests.length).toBeGreaterThan(0);
	for (const item of result.items) expectNoSecret('a trigger item', JSON.stringify(item));
	expectNoSecret('the trigger error message', result.error?.message);
	expectNoSecret('the trigger error description', result.error?.description);
	expectNoSecret('the trigger error', JSON.stringify(result.error ?? {}));
	expectNoSecret('the trigger static data', JSON.stringify(result.staticData));
});
