/**
 * What comes out for a sheet: Table Rows with the file name, metadata and chosen document
 * fields; one Simplified shape for v4 and v2; Parse Values. Run in the engine, v4 and v2.
 */
import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, workflows: ['wf-invoices'] });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/** Two invoices in one PDF, each page with its own number; the amount on page 2 is unreadable. */
const twoInvoices = {
	headers: ['description', 'amount', 'amount', '2026'],
	pages: [
		{ fields: { invoice_number: 'A-1', invoice_date: 'March 12, 2026', total_amount: '$1,234.56', seller_name: 'Acme' }, rows: [['Lamp', '25.00', '20.00', 'x']] },
		{ fields: { invoice_number: 'A-2', invoice_date: '12-03-2026', total_amount: 'see page 3' }, rows: [['Bulb', '2.50', '2.00', 'y'], ['Cable', '5.00', '4.00', 'z']] },
	],
};
const mail = { from: 'billing@acme.example', subject: 'Invoice March' };
const fast = { pollInterval: 0.1, timeout: 20 };

const upload = (outputFormat: string, options: Record<string, unknown> = {}) =>
	runNode({
		parameters: {
			resource: 'document',
			operation: 'upload',
			workflowId: 'wf-invoices',
			inputType: 'binary',
			outputFormat,
			options: { ...fast, metadata: JSON.stringify(mail), ...options },
		},
		items: [binaryItem(makePdf({ pages: 2, spec: twoInvoices }), 'acme-march.pdf')],
		credentials: credentialsFor(sandbox),
	});

const predict = (outputFormat: string, options: Record<string, unknown> = {}, metadata: string | null = JSON.stringify(mail)) =>
	runNode({
		parameters: {
			resource: 'ocrPrediction',
			operation: 'predict',
			modelId: 'ocr-invoices',
			inputType: 'binary',
			outputFormat,
			options: { ...fast, ...(metadata === null ? {} : { metadata }), ...options },
		},
		items: [binaryItem(makePdf({ pages: 2, spec: twoInvoices }), 'acme-march.pdf')],
		credentials: credentialsFor(sandbox),
	});

describe.each([
	['v4 Upload', upload, 0],
	['v2 OCR Predict', predict, 1],
])('%s, Table Rows', (_name, run, firstRow) => {
	test('rows carry the file name and metadata, the chosen fields, and start with the data columns', async () => {
		const result = await run('tableRows', { rowFields: 'invoice_number, seller_name' });
		expect(result.error).toBeUndefined();
		const rows = jsonOf(result);
		expect(rows.map((r) => [r.description, r.invoice_number, r.seller_name, r.page_number, r.row])).toEqual([
			['Lamp', 'A-1', 'Acme', 1, firstRow],
			['Bulb', 'A-2', 'Acme', 2, firstRow],
			['Cable', 'A-2', 'Acme', 2, firstRow + 1],
		]);
		for (const row of rows) expect(row).toMatchObject({ original_document_name: 'acme-march.pdf', metadata: mail });
		// Two "amount" cells in a row are both kept; a numeric header does not jump ahead.
		expect(rows[0]).toMatchObject({ amount: '25.00', amount_2: '20.00', column_2026: 'x' });
		expect(Object.keys(rows[0])).toEqual([
			'description',
			'amount',
			'amount_2',
			'column_2026',
			'invoice_number',
			'seller_name',
			'original_document_name',
			'metadata',
			'document_id',
			'page_id',
			'page_number',
			'table_id',
			'row',
		]);
	});

	test('Parse Values turns the copied fields into numbers and dates', async () => {
		const rows = jsonOf(await run('tableRows', { rowFields: 'invoice_date,total_amount', parseValues: true }));
		expect(rows.map((r) => [r.invoice_date, r.total_amount, r.unparsed_fields])).toEqual([
			['2026-03-12', 1234.56, []],
			['2026-03-12', 'see page 3', ['total_amount']],
			['2026-03-12', 'see page 3', ['total_amount']],
		]);
	});
});

describe.each([
	['v4 Upload', upload],
	['v2 OCR Predict', predict],
])('%s, Simplified and Fields with Parse Values', (_name, run) => {
	test('amounts become numbers, dates YYYY-MM-DD; what cannot be read is named', async () => {
		const [document] = jsonOf(await run('simplified', { parseValues: true }));
		expect(document.fields).toEqual({
			invoice_number: ['A-1', 'A-2'],
			invoice_date: '2026-03-12',
			total_amount: [1234.56, 'see page 3'],
			seller_name: 'Acme',
		});
		expect(document.unparsed_fields).toEqual(['total_amount']);

		const fields = jsonOf(await run('fields', { parseValues: true }));
		expect(fields.filter((f) => f.field === 'total_amount').map((f) => [f.value, f.unparsed_fields])).toEqual([
			[1234.56, []],
			['see page 3', ['total_amount']],
		]);
	});

	test('without the option, values stay as Nanonets read them', async () => {
		const [document] = jsonOf(await run('simplified'));
		expect(document.fields).toMatchObject({ invoice_date: ['March 12, 2026', '12-03-2026'], total_amount: ['$1,234.56', 'see page 3'] });
		expect(document).not.toHaveProperty('unparsed_fields');
	});
});

test('Simplified has one shape for v4 and v2', async () => {
	const [v4] = jsonOf(await upload('simplified'));
	const [v2] = jsonOf(await predict('simplified'));
	expect(Object.keys(v2)).toEqual(Object.keys(v4));
	for (const document of [v4, v2]) {
		expect(document).toMatchObject({ status: 'success', original_document_name: 'acme-march.pdf', metadata: mail });
		expect(Date.parse(String(document.uploaded_at))).not.toBeNaN();
		const tables = document.tables as Array<Array<Record<string, unknown>>>;
		expect(tables.map((table) => table.map((row) => [row.description, row.page_number, typeof row.table_id]))).toEqual([
			[['Lamp', 1, 'string']],
			[
				['Bulb', 2, 'string'],
				['Cable', 2, 'string'],
			],
		]);
	}
	// Empty metadata is null in both.
	const [v4Bare] = jsonOf(await upload('simplified', { metadata: '' }));
	const [v2Bare] = jsonOf(await predict('simplified', {}, null));
	expect([v4Bare.metadata, v2Bare.metadata]).toEqual([null, null]);
});

test('v2 Get by File gives the same Simplified document, with the file name and upload time', async () => {
	const [pending] = jsonOf(
		await runNode({
			parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', waitForCompletion: false },
			items: [binaryItem(makePdf({ pages: 2, spec: twoInvoices }), 'later.pdf')],
			credentials: credentialsFor(sandbox),
		}),
	);
	const [document] = jsonOf(
		await runNode({
			parameters: { resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId: pending.request_file_id, outputFormat: 'simplified' },
			credentials: credentialsFor(sandbox),
		}),
	);
	expect(document).toMatchObject({ document_id: pending.request_file_id, status: 'success', original_document_name: 'later.pdf', metadata: null });
	// v2 dates a prediction to the hour (day_since_epoch, hour_of_day).
	expect(Math.abs(Date.parse(String(document.uploaded_at)) - Date.now())).toBeLessThan(2 * 3_600_000);
});

test('Full Text counts pages from 1, as every other output', async () => {
	const [file] = jsonOf(
		await runNode({
			parameters: { resource: 'fullText', operation: 'extract', inputType: 'binary' },
			items: [binaryItem(makePdf({ pages: 2, spec: twoInvoices }), 'scan.pdf')],
			credentials: credentialsFor(sandbox),
		}),
	);
	expect((file.pages as Array<{ page_number: number }>).map((page) => page.page_number)).toEqual([1, 2]);
});
