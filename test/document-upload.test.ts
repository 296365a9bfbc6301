import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 100, perPageMs: 10 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const invoice = {
	fields: { invoice_number: 'INV-1001', total_amount: '150.00' },
	rows: [
		['Paper', '2', '10.00', '20.00'],
		['Toner', '1', '130.00', '130.00'],
	],
};

const upload = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	...extra,
});

/** Two pages: a field on each page, one line item per page. */
const twoPages = {
	pages: [
		{ fields: { invoice_number: 'INV-2002', page_note: 'first' }, rows: [['Desk', '1', '300.00', '300.00']] },
		{ fields: { page_note: 'second' }, rows: [['Chair', '2', '50.00', '100.00']] },
	],
};

test('a one-page PDF is uploaded asynchronously, waited for, and comes back simplified', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'simplified', options: { pollInterval: 0.1 } }),
		items: [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	const [document] = jsonOf(result);
	expect(document.status).toBe('success');
	expect(document.original_document_name).toBe('invoice.pdf');
	expect(document.fields).toEqual({ invoice_number: 'INV-1001', total_amount: '150.00' });
	const table = { table_id: expect.any(String), page_number: 1 };
	expect(document.tables).toEqual([
		[
			{ description: 'Paper', quantity: '2', unit_price: '10.00', amount: '20.00', ...table },
			{ description: 'Toner', quantity: '1', unit_price: '130.00', amount: '130.00', ...table },
		],
	]);
	expect(result.items[0].pairedItem).toEqual({ item: 0 });
	// Asynchronous, so that the wait is bounded by the Timeout option: one upload, then status checks.
	expect(sandbox.requestsTo('/documents', 'POST')).toHaveLength(1);
	expect(sandbox.requestsTo(`/documents/${String(document.document_id)}`, 'GET').length).toBeGreaterThanOrEqual(1);
});

test('a field found on several pages becomes an array in page order', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'simplified' }),
		items: [binaryItem(makePdf({ pages: 2, spec: twoPages }), 'two-pages.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(result);
	expect(document.fields).toEqual({ invoice_number: 'INV-2002', page_note: ['first', 'second'] });
	expect(document.tables).toEqual([
		[{ description: 'Desk', quantity: '1', unit_price: '300.00', amount: '300.00', table_id: expect.any(String), page_number: 1 }],
		[{ description: 'Chair', quantity: '2', unit_price: '50.00', amount: '100.00', table_id: expect.any(String), page_number: 2 }],
	]);
});

test('Fields output gives one item per extracted value, with page and confidence', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'fields' }),
		items: [binaryItem(makePdf({ pages: 2, spec: twoPages }), 'two-pages.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const items = jsonOf(result);
	expect(items.map((item) => [item.field, item.value, item.page_number])).toEqual([
		['invoice_number', 'INV-2002', 1],
		['page_note', 'first', 1],
		['page_note', 'second', 2],
	]);
	for (const item of items) {
		expect(Object.keys(item).sort()).toEqual(
			['bbox', 'confidence', 'document_id', 'field', 'field_data_id', 'is_moderated', 'page_id', 'page_number', 'value', 'verification_status'].sort(),
		);
		expect(typeof item.confidence).toBe('number');
		expect(item.bbox).toHaveLength(4);
		expect(item.is_moderated).toBe(false);
	}
	expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
});

test('Table Rows output gives one item per row with the columns as keys', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'tableRows' }),
		items: [binaryItem(makePdf({ pages: 2, spec: twoPages }), 'two-pages.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const rows = jsonOf(result);
	expect(rows).toHaveLength(2);
	expect(rows[0]).toMatchObject({ page_number: 1, row: 0, description: 'Desk', quantity: '1', amount: '300.00' });
	expect(rows[1]).toMatchObject({ page_number: 2, row: 0, description: 'Chair', quantity: '2', amount: '100.00' });
	// Sheet-ready: the table's columns first, the ids after.
	expect(Object.keys(rows[0])).toEqual([
		'description',
		'quantity',
		'unit_price',
		'amount',
		'original_document_name',
		'metadata',
		'document_id',
		'page_id',
		'page_number',
		'table_id',
		'row',
	]);
	expect(rows[0].original_document_name).toBe('two-pages.pdf');
	expect(rows[0].document_id).toBe(rows[1].document_id);
});

test('Document output is the API answer itself', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'document' }),
		items: [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(result);
	expect(document.status).toBe('success');
	expect(Array.isArray(document.pages)).toBe(true);
	const page = (document.pages as Array<{ data: { fields: Record<string, unknown[]> } }>)[0];
	expect(page.data.fields.invoice_number[0]).toMatchObject({ value: 'INV-1001' });
});

test('a document of more than 3 pages is converted to async by Nanonets and polled until done', async () => {
	const result = await runNode({
		parameters: upload({ outputFormat: 'simplified', options: { pollInterval: 0.1 } }),
		items: [binaryItem(makePdf({ pages: 5, spec: invoice }), 'long.pdf')],
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	const [document] = jsonOf(result);
	expect(document.status).toBe('success');
	expect(document.fields).toMatchObject({ invoice_number: 'INV-1001' });
	expect(sandbox.requestsTo(`/documents/${String(document.document_id)}`, 'GET').length).toBeGreaterThanOrEqual(1);
});

test('without waiting, the upload is async and returns the pending document at once', async () => {
	const result = await runNode({
		parameters: upload({ waitForCompletion: false }),
		items: [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(result);
	expect(document.status).toBe('pending');
	expect(typeof document.document_id).toBe('string');
	expect(document.pages).toBeUndefined();
	expect(sandbox.requestsTo(`/documents/`, 'GET')).toHaveLength(0);
});

test('a document URL is sent as JSON, with metadata, and the metadata comes back', async () => {
	const result = await runNode({
		parameters: upload({
			inputType: 'url',
			documentUrl: 'https://files.example.com/invoice.pdf',
			outputFormat: 'simplified',
			options: { metadata: '{"customer_id": "C-42"}' },
		}),
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	const [document] = jsonOf(result);
	expect(document.original_document_name).toBe('invoice.pdf');
	expect(document.metadata).toEqual({ customer_id: 'C-42' });
});

test('a PNG image is accepted and a document per input item comes back in order', async () => {
	const items = [
		binaryItem(makePdf({ spec: { fields: { invoice_number: 'A' }, rows: [] } }), 'a.pdf'),
		binaryItem(makePng(), 'scan.png', 'image/png'),
		binaryItem(makePdf({ spec: { fields: { invoice_number: 'C' }, rows: [] } }), 'c.pdf'),
	];
	const result = await runNode({
		parameters: upload({ outputFormat: 'simplified' }),
		items,
		credentials: credentialsFor(sandbox),
	});
	const documents = jsonOf(result);
	expect(documents.map((d) => d.original_document_name)).toEqual(['a.pdf', 'scan.png', 'c.pdf']);
	expect(documents[0].fields).toEqual({ invoice_number: 'A' });
	expect(documents[2].fields).toEqual({ invoice_number: 'C' });
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});
