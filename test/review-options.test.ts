/**
 * Version 2's options Min Confidence (which fields need a human) and Keep Binary (output items
 * keep the input's file), in the engine against the sandbox, for v4 documents and v2 models.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const fields = { invoice_number: 'INV-5', total_amount: '88.00', seller_name: 'Acme' };
const rows = [
	['Desk', '1', '80.00', '80.00'],
	['Pen', '1', '8.00', '8.00'],
];
/** Nanonets read the total and the seller with little confidence; the number with 0.97. */
const unsure = { fields, rows, confidence: { invoice_number: 0.97, total_amount: 0.41, seller_name: 0.55 } };
const sure = { fields, rows, confidence: { invoice_number: 0.97, total_amount: 0.95, seller_name: 0.99 } };

const upload = (items: INodeExecutionData[], extra: INodeParameters = {}, authentication = 'apiKey') =>
	runNode({
		typeVersion: 2,
		parameters: { authentication, resource: 'document', operation: 'upload', workflowId: 'wf-invoices', ...extra },
		items,
		credentials: credentialsFor(sandbox),
	});

describe.each(['apiKey', 'lowCodeApi'])('Min Confidence (%s)', (authentication) => {
	test('Simplified items say whether they need review and which fields', async () => {
		const result = await upload(
			[binaryItem(makePdf({ spec: unsure }), 'unsure.pdf'), binaryItem(makePdf({ spec: sure }), 'sure.pdf')],
			{ options: { minConfidence: 0.8 } },
			authentication,
		);
		expect(result.error).toBeUndefined();
		const [low, high] = jsonOf(result);
		expect(low).toMatchObject({ original_document_name: 'unsure.pdf', needs_review: true, low_confidence_fields: ['total_amount', 'seller_name'] });
		expect(high).toMatchObject({ original_document_name: 'sure.pdf', needs_review: false, low_confidence_fields: [] });
	});

	test('Fields items each say whether they need review', async () => {
		const result = await upload([binaryItem(makePdf({ spec: unsure }), 'unsure.pdf')], { outputFormat: 'fields', options: { minConfidence: 0.5 } }, authentication);
		expect(jsonOf(result).map((item) => [item.field, item.confidence, item.needs_review])).toEqual([
			['invoice_number', 0.97, false],
			['total_amount', 0.41, true],
			['seller_name', 0.55, false],
		]);
	});
});

test('Min Confidence with Continue On Fail: an item with a threshold outside 0..1 fails alone, before anything is sent for it', async () => {
	const result = await runNode({
		typeVersion: 2,
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', options: { minConfidence: '={{ $json.threshold }}' } },
		items: [
			{ ...binaryItem(makePdf({ spec: unsure }), 'a.pdf'), json: { threshold: 0.8 } },
			{ ...binaryItem(makePdf({ spec: unsure }), 'b.pdf'), json: { threshold: 80 } },
		],
		credentials: credentialsFor(sandbox),
		continueOnFail: true,
	});
	const [a, b] = jsonOf(result);
	expect(a).toMatchObject({ original_document_name: 'a.pdf', needs_review: true });
	expect(b.error).toMatch(/"Min Confidence" parameter must be between 0 and 1, not 80 \(item 2\)/);
	expect(sandbox.requestsTo('/documents', 'POST')).toHaveLength(1);
});

test('without Min Confidence the items are as before', async () => {
	const [simplified] = jsonOf(await upload([binaryItem(makePdf({ spec: unsure }), 'a.pdf')]));
	expect(simplified).not.toHaveProperty('needs_review');
	expect(simplified).not.toHaveProperty('low_confidence_fields');
});

test('Min Confidence from an expression, per item; an empty value means not set', async () => {
	const result = await upload(
		[{ ...binaryItem(makePdf({ spec: unsure }), 'a.pdf'), json: { threshold: 0.3 } }, { ...binaryItem(makePdf({ spec: unsure }), 'b.pdf'), json: { threshold: '' } }],
		{ options: { minConfidence: '={{ $json.threshold }}' } },
	);
	const [a, b] = jsonOf(result);
	expect(a).toMatchObject({ needs_review: false, low_confidence_fields: [] });
	expect(b).not.toHaveProperty('needs_review');
});

test('Min Confidence on Get of a stored document and on a v2 OCR prediction', async () => {
	const documentId = sandbox.addDocument('wf-invoices', { spec: unsure });
	const [document] = jsonOf(
		await runNode({
			typeVersion: 2,
			parameters: { resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId, options: { minConfidence: 0.6 } },
			credentials: credentialsFor(sandbox),
		}),
	);
	expect(document).toMatchObject({ needs_review: true, low_confidence_fields: ['total_amount', 'seller_name'] });

	// The v2 sandbox scores every field between 0.90 and 0.99.
	const predict = (minConfidence: number) =>
		runNode({
			typeVersion: 2,
			parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', options: { minConfidence, pollInterval: 0.1 } },
			items: [binaryItem(makePdf({ spec: { fields: { invoice_number: 'P-1', total_amount: '5.00' } } }), 'p.pdf')],
			credentials: credentialsFor(sandbox),
		});
	expect(jsonOf(await predict(0.5))[0]).toMatchObject({ needs_review: false, low_confidence_fields: [] });
	expect(jsonOf(await predict(0.999))[0]).toMatchObject({ needs_review: true, low_confidence_fields: ['invoice_number', 'total_amount'] });
});

describe('Keep Binary', () => {
	const binaryOf = (item: INodeExecutionData) => item.binary?.data as IDataObject | undefined;

	test.each(['apiKey', 'lowCodeApi'])('every output item keeps the input\'s file, by reference (Table Rows: one per row; %s)', async (authentication) => {
		const input = binaryItem(makePdf({ spec: sure }), 'keep.pdf');
		const result = await upload([input], { outputFormat: 'tableRows', options: { keepBinary: true } }, authentication);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		for (const item of result.items) {
			expect(binaryOf(item)).toMatchObject({ fileName: 'keep.pdf', mimeType: 'application/pdf' });
			// The same object as the input's: nothing was copied.
			expect(item.binary).toBe(result.items[0].binary);
			expect(binaryOf(item)).toBe(input.binary!.data);
		}
	});

	test('without it, output items carry no binary data', async () => {
		const result = await upload([binaryItem(makePdf({ spec: sure }), 'drop.pdf')]);
		expect(result.items[0].binary).toBeUndefined();
	});

	test.each([
		['Full Text', { resource: 'fullText', operation: 'extract' }],
		['Image Classification', { resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals' }],
		['OCR Prediction', { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', options: { pollInterval: 0.1 } }],
	])('%s keeps the input\'s file too', async (_name, parameters) => {
		const input = binaryItem(makePng(), 'scan.png', 'image/png');
		const result = await runNode({
			typeVersion: 2,
			parameters: { ...parameters, inputType: 'binary', options: { ...((parameters as IDataObject).options as IDataObject), keepBinary: true } },
			items: [input],
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		for (const item of result.items) expect(binaryOf(item)).toBe(input.binary!.data);
	});

	test('with Continue On Fail, a failed item still fails alone and the others keep their file', async () => {
		const good = binaryItem(makePdf({ spec: sure }), 'good.pdf');
		const bad = binaryItem(Buffer.from('MZ not a document'), 'bad.exe', 'application/octet-stream');
		const result = await runNode({
			typeVersion: 2,
			parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', options: { keepBinary: true } },
			items: [good, bad],
			credentials: credentialsFor(sandbox),
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({ original_document_name: 'good.pdf' });
		expect(binaryOf(result.items[0])).toBe(good.binary!.data);
		expect(result.items[1].json.error).toEqual(expect.any(String));
	});
});
