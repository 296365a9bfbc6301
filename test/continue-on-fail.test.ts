/**
 * Continue On Fail, for every operation (Document and v2): one failing item among several
 * becomes an `{ error }` item paired to its input, every other item keeps its result, all in
 * input order. The failure is bad input for some rows (refused before sending) and an API
 * error for others (an unknown ID mapped per item). Without Continue On Fail, a bad item found
 * during validation means nothing is sent at all.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makeExe, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
const documents: Array<{ id: string; pageId: string }> = [];
/** OCR predictions made for the retrieval rows: request_file_id and first page id. */
const predictions: Array<{ fileId: string; pageId: string }> = [];

beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
	const result = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', options: { concurrency: 1 } },
		items: [0, 1, 2, 3, 4, 5].map((i) => binaryItem(makePdf({ title: `Invoice ${i}` }), `invoice-${i}.pdf`)),
		credentials: credentialsFor(sandbox),
	});
	for (const document of jsonOf(result)) {
		documents.push({ id: String(document.document_id), pageId: String((document.pages as Array<{ page_id: string }>)[0].page_id) });
	}
	const predicted = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', outputFormat: 'document', options: { pollInterval: 0.1 } },
		items: [0, 1].map((i) => binaryItem(makePdf({ spec: { fields: { invoice_number: `P-${i}` } } }), `p-${i}.pdf`)),
		credentials: credentialsFor(sandbox),
	});
	for (const file of jsonOf(predicted)) {
		predictions.push({ fileId: String(file.request_file_id), pageId: String((file.pages as Array<{ id: string }>)[0].id) });
	}
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const base = { resource: 'document', workflowId: '={{ $json.workflowId }}' };

interface OperationCase {
	parameters: INodeParameters;
	/** Three input items; the second one fails (at validation or at Nanonets). */
	items: () => INodeExecutionData[];
	/** What the failing item's error says. */
	error: RegExp;
	/** Checks the output of a good item. */
	good: (json: Record<string, unknown>, itemIndex: number) => void;
	/** An input item that fails validation, for the "nothing sent" check. */
	invalid: () => INodeExecutionData;
}

const wf = (json: Record<string, unknown> = {}) => ({ workflowId: 'wf-invoices', ...json });

const operationCases: OperationCase[] = [
	{
		parameters: { ...base, operation: 'upload', outputFormat: 'simplified' },
		items: () => [
			{ ...binaryItem(makePdf({ spec: { fields: { n: 'A' } } }), 'a.pdf'), json: wf() },
			{ ...binaryItem(makeExe(), 'b.pdf'), json: wf() },
			{ ...binaryItem(makePdf({ spec: { fields: { n: 'C' } } }), 'c.pdf'), json: wf() },
		],
		error: /The file "b\.pdf" .*not a supported type \(item 2\)/,
		good: (json, i) => expect(json.fields).toEqual({ n: i === 0 ? 'A' : 'C' }),
		invalid: () => ({ ...binaryItem(makeExe(), 'bad.pdf'), json: wf() }),
	},
	{
		parameters: { ...base, operation: 'get', documentId: '={{ $json.id }}' },
		items: () => [{ json: wf({ id: documents[0].id }) }, { json: wf({ id: 'missing' }) }, { json: wf({ id: documents[1].id }) }],
		error: /Not found: Document missing not found/,
		good: (json, i) => expect(json.document_id).toBe(documents[i === 0 ? 0 : 1].id),
		invalid: () => ({ json: wf({ id: 'a/b' }) }),
	},
	{
		parameters: { ...base, operation: 'getAll', limit: 1 },
		items: () => [{ json: wf() }, { json: wf({ workflowId: 'wf-unknown' }) }, { json: wf() }],
		error: /Workflow wf-unknown not found/,
		good: (json) => expect(typeof json.document_id).toBe('string'),
		invalid: () => ({ json: wf({ workflowId: ' ' }) }),
	},
	{
		parameters: { ...base, operation: 'getPage', documentId: '={{ $json.id }}', pageId: '={{ $json.page }}' },
		items: () => [
			{ json: wf({ id: documents[2].id, page: documents[2].pageId }) },
			{ json: wf({ id: documents[2].id, page: 'missing' }) },
			{ json: wf({ id: documents[3].id, page: documents[3].pageId }) },
		],
		error: /Page missing not found/,
		good: (json, i) => expect(json.page_id).toBe(documents[i === 0 ? 2 : 3].pageId),
		invalid: () => ({ json: wf({ id: documents[2].id, page: '..' }) }),
	},
	{
		parameters: { ...base, operation: 'delete', documentId: '={{ $json.id }}' },
		items: () => [{ json: wf({ id: documents[4].id }) }, { json: wf({ id: 'missing' }) }, { json: wf({ id: documents[5].id }) }],
		error: /Not found: Document missing not found/,
		good: (json, i) => expect(json).toMatchObject({ document_id: documents[i === 0 ? 4 : 5].id, deleted: true }),
		invalid: () => ({ json: wf({ id: '' }) }),
	},
	// v2: full text, OCR models and predictions, image models and classification
	{
		parameters: { resource: 'fullText', operation: 'extract' },
		items: () => [binaryItem(makePng(), 'a.png', 'image/png'), binaryItem(makeExe(), 'b.png', 'image/png'), binaryItem(makePdf(), 'c.pdf')],
		error: /The file "b\.png" .*not a supported type \(item 2\)/,
		good: (json, i) => expect(json.filename).toBe(i === 0 ? 'a.png' : 'c.pdf'),
		invalid: () => binaryItem(makeExe(), 'bad.png'),
	},
	{
		parameters: { resource: 'ocrModel', operation: 'create', categories: '={{ $json.categories }}' },
		items: () => [{ json: { categories: 'invoice_number' } }, { json: { categories: ' , ' } }, { json: { categories: 'total, date' } }],
		error: /"Categories" parameter needs at least 1 name, found 0 \(item 2\)/,
		good: (json, i) => expect(json).toMatchObject({ model_type: 'ocr', categories: (i === 0 ? ['invoice_number'] : ['total', 'date']).map((name) => ({ name, count: 0 })) }),
		invalid: () => ({ json: { categories: '' } }),
	},
	...(['get', 'train'] as const).map((operation) => ({
		parameters: { resource: 'ocrModel', operation, modelId: '={{ $json.model }}' },
		items: () => [{ json: { model: 'ocr-invoices' } }, { json: { model: 'no-such-model' } }, { json: { model: 'ocr-invoices' } }],
		error: /Not found: Model does not exists/,
		good: (json: Record<string, unknown>) => expect(json).toMatchObject({ model_id: 'ocr-invoices', model_type: 'ocr' }),
		invalid: () => ({ json: { model: 'a/b' } }),
	})),
	{
		parameters: { resource: 'ocrModel', operation: 'uploadTrainingData', modelId: '={{ $json.model }}', inputType: 'url', urls: '={{ $json.url }}' },
		items: () => [
			{ json: { model: 'ocr-invoices', url: 'https://files.example.com/1.png' } },
			{ json: { model: 'no-such-model', url: 'https://files.example.com/2.png' } },
			{ json: { model: 'ocr-invoices', url: 'https://files.example.com/3.png' } },
		],
		error: /Not found: Model does not exists/,
		good: (json, i) => expect(json).toMatchObject({ Meta: { ModelID: 'ocr-invoices' }, Data: [{ filename: `https://files.example.com/${i + 1}.png` }] }),
		invalid: () => ({ json: { model: 'ocr-invoices', url: 'ftp://files.example.com/1.png' } }),
	},
	{
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: '={{ $json.model }}', outputFormat: 'simplified', options: { pollInterval: 0.1 } },
		items: () =>
			['A', 'B', 'C'].map((n) =>
				binaryItem(makePdf({ spec: { fields: { invoice_number: n } } }), `${n}.pdf`, 'application/pdf', { model: n === 'B' ? 'no-such-model' : 'ocr-invoices' }),
			),
		error: /Not found: Model does not exists/,
		good: (json, i) => expect(json.fields).toEqual({ invoice_number: i === 0 ? 'A' : 'C' }),
		invalid: () => binaryItem(makeExe(), 'bad.pdf', 'application/pdf', { model: 'ocr-invoices' }),
	},
	{
		parameters: { resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId: '={{ $json.file }}', outputFormat: 'simplified' },
		items: () => [{ json: { file: predictions[0].fileId } }, { json: { file: 'missing' } }, { json: { file: predictions[1].fileId } }],
		error: /No prediction file missing/,
		good: (json, i) => expect(json).toMatchObject({ document_id: predictions[i === 0 ? 0 : 1].fileId, fields: { invoice_number: `P-${i === 0 ? 0 : 1}` } }),
		invalid: () => ({ json: { file: '..' } }),
	},
	{
		parameters: { resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: '={{ $json.page }}', outputFormat: 'fields' },
		items: () => [{ json: { page: predictions[0].pageId } }, { json: { page: 'missing' } }, { json: { page: predictions[1].pageId } }],
		error: /No predicted page missing/,
		good: (json, i) => expect(json).toMatchObject({ page_id: predictions[i === 0 ? 0 : 1].pageId, field: 'invoice_number' }),
		invalid: () => ({ json: { page: 'p#1' } }),
	},
	{
		parameters: { resource: 'ocrPrediction', operation: 'getAll', modelId: '={{ $json.model }}', limit: 1, outputFormat: 'simplified' },
		items: () => [{ json: { model: 'ocr-invoices' } }, { json: { model: 'no-such-model' } }, { json: { model: 'ocr-invoices' } }],
		error: /Not found: Model does not exists/,
		good: (json) => expect(predictions.map((p) => p.fileId)).toContain(json.document_id),
		invalid: () => ({ json: { model: ' ' } }),
	},
	{
		parameters: { resource: 'imageModel', operation: 'create', categories: '={{ $json.categories }}' },
		items: () => [{ json: { categories: 'cat, dog' } }, { json: { categories: 'cat' } }, { json: { categories: 'fox, owl' } }],
		error: /"Categories" parameter needs at least 2 names, found 1 \(item 2\)/,
		good: (json, i) => expect((json.categories as Array<{ name: string }>).map((c) => c.name)).toEqual(i === 0 ? ['cat', 'dog'] : ['fox', 'owl']),
		invalid: () => ({ json: { categories: 'cat, cat' } }),
	},
	...(['get', 'train'] as const).map((operation) => ({
		parameters: { resource: 'imageModel', operation, modelId: '={{ $json.model }}' },
		items: () => [{ json: { model: 'ic-animals' } }, { json: { model: 'no-such-model' } }, { json: { model: 'ic-animals' } }],
		error: /Not found: Model does not exists/,
		good: (json: Record<string, unknown>) => expect(json).toMatchObject({ model_id: 'ic-animals', model_type: 'classification' }),
		invalid: () => ({ json: { model: '' } }),
	})),
	{
		parameters: { resource: 'imageModel', operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
		items: () => [{ json: { limit: 1 } }, { json: { limit: 0 } }, { json: { limit: 2 } }],
		error: /"Limit".*\(item 2\)/,
		good: (json) => expect(json.model_type).toBe('classification'),
		invalid: () => ({ json: { limit: 101 } }),
	},
	{
		parameters: { resource: 'imageModel', operation: 'uploadTrainingData', modelId: '={{ $json.model }}', category: 'cat', inputType: 'binary' },
		items: () => ['ic-animals', 'no-such-model', 'ic-animals'].map((model, i) => binaryItem(makePng(), `cat-${i}.png`, 'image/png', { model })),
		error: /Not found: Model does not exists/,
		good: (json) => expect(json).toMatchObject({ model_id: 'ic-animals', model_type: 'classification' }),
		invalid: () => binaryItem(Buffer.alloc(0), 'empty.png', 'image/png', { model: 'ic-animals' }),
	},
	{
		parameters: { resource: 'imageClassification', operation: 'predict', modelId: '={{ $json.model }}', inputType: 'url', urls: '={{ $json.url }}' },
		items: () => [
			{ json: { model: 'ic-animals', url: 'https://files.example.com/a.jpg' } },
			{ json: { model: 'no-such-model', url: 'https://files.example.com/b.jpg' } },
			{ json: { model: 'ic-animals', url: 'https://files.example.com/c.jpg' } },
		],
		error: /Not found: Model does not exists/,
		good: (json, i) => expect(json).toMatchObject({ input: `https://files.example.com/${i === 0 ? 'a' : 'c'}.jpg`, best_label: expect.stringMatching(/^(cat|dog)$/) }),
		invalid: () => ({ json: { model: 'ic-animals', url: 'javascript:alert(1)' } }),
	},
];

const rows = operationCases.map((c) => ({ ...c, name: `${String(c.parameters.resource)}.${String(c.parameters.operation)}` }));

test.each(rows)('$name: the failing second item becomes { error } paired to it, the others keep their results in order', async (c) => {
	const result = await runNode({ parameters: c.parameters, items: c.items(), continueOnFail: true, credentials: credentialsFor(sandbox) });

	expect(result.error).toBeUndefined();
	const paired = result.items.map((item) => (item.pairedItem as { item: number }).item);
	// Input order: every output of item 0, then item 1's error, then item 2's outputs.
	expect(paired).toEqual([...paired].sort((a, b) => a - b));
	expect(new Set(paired)).toEqual(new Set([0, 1, 2]));
	const errors = result.items.filter((item) => item.json.error !== undefined);
	expect(errors).toHaveLength(1);
	expect(errors[0].pairedItem).toEqual({ item: 1 });
	expect(String(errors[0].json.error)).toMatch(c.error);
	for (const item of result.items) {
		const itemIndex = (item.pairedItem as { item: number }).item;
		if (itemIndex !== 1) c.good(item.json, itemIndex);
	}
});

test.each(rows)('$name: without Continue On Fail, an invalid third item means nothing is sent at all', async (c) => {
	const [first] = c.items();
	const result = await runNode({ parameters: c.parameters, items: [first, first, c.invalid()], credentials: credentialsFor(sandbox) });

	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toContain('item 3');
	expect(result.items).toEqual([]);
	expect(sandbox.state.requests).toEqual([]);
});

test('with Continue On Fail, an item invalid at validation still lets the valid ones be sent', async () => {
	const result = await runNode({
		parameters: { ...base, operation: 'get', documentId: '={{ $json.id }}' },
		items: [{ json: wf({ id: '?' }) }, { json: wf({ id: documents[0].id }) }],
		continueOnFail: true,
		credentials: credentialsFor(sandbox),
	});
	expect(jsonOf(result).map((json) => json.error ?? json.document_id)).toEqual([
		expect.stringMatching(/"Document ID" parameter is not a valid ID.*item 1/),
		documents[0].id,
	]);
	expect(sandbox.state.requests).toHaveLength(1);
});
