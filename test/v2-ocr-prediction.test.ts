import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 100, perPageMs: 10 });
});
afterAll(async () => await sandbox.close());

const invoice = {
	fields: { invoice_number: 'INV-2001', total_amount: '42.00' },
	rows: [
		['Pens', '2', '1.00', '2.00'],
		['Ink', '4', '10.00', '40.00'],
	],
};
const fast = { pollInterval: 0.1, timeout: 20 };

describe.each(['apiKey', 'lowCodeApi'])('OCR predictions under the %s credential', (authentication) => {
	const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
		runNode({ parameters: { authentication, ...parameters }, items, credentials: credentialsFor(sandbox) });
	const predict = (outputFormat: string, pages = 2) =>
		run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', outputFormat, options: fast },
			[binaryItem(makePdf({ pages, spec: invoice }), 'invoice.pdf')],
		);

	test('predict sends the file asynchronously, waits, and returns simplified fields and tables', async () => {
		const result = await predict('simplified');
		expect(result.error).toBeUndefined();
		const [document] = jsonOf(result);
		expect(typeof document.document_id).toBe('string');
		expect(document.original_document_name).toBe('invoice.pdf');
		expect(document.fields).toEqual({ invoice_number: 'INV-2001', total_amount: '42.00' });
		// Each table row keeps its table's id and page number, after the table's own columns.
		expect(document.tables).toEqual([
			[{ description: 'Pens', quantity: '2', unit_price: '1.00', amount: '2.00', table_id: expect.any(String), page_number: 1 }],
			[{ description: 'Ink', quantity: '4', unit_price: '10.00', amount: '40.00', table_id: expect.any(String), page_number: 2 }],
		]);
		const upload = sandbox.requestsTo('/LabelFile', 'POST').at(-1);
		expect(upload?.query.async).toBe('true');
	});

	test('fields and table rows formats give one item per value and per row', async () => {
		const fields = jsonOf(await predict('fields', 1));
		expect(fields.map((f) => [f.field, f.value, f.page_number])).toEqual([
			['invoice_number', 'INV-2001', 1],
			['total_amount', '42.00', 1],
		]);
		expect(fields[0].bbox).toEqual([100, 140, 400, 170]);
		expect(typeof fields[0].confidence).toBe('number');
		const rows = jsonOf(await predict('tableRows', 1));
		expect(rows.map((r) => [r.row, r.description, r.amount])).toEqual([
			[1, 'Pens', '2.00'],
			[2, 'Ink', '40.00'],
		]);
	});

	test('several URLs give one document per URL; a bad URL is a 202 partial success', async () => {
		const result = await run({
			resource: 'ocrPrediction',
			operation: 'predict',
			modelId: 'ocr-invoices',
			inputType: 'url',
			urls: 'https://example.com/a.pdf?pages=2, https://bad.example/b.pdf\nhttps://example.com/c.pdf',
			outputFormat: 'document',
			options: fast,
		});
		expect(result.error).toBeUndefined();
		const documents = jsonOf(result);
		// The good URLs' results, then the failed URL named with Nanonets' reason.
		expect(documents.map((d) => d.input)).toEqual(['https://example.com/a.pdf?pages=2', 'https://example.com/c.pdf', 'https://bad.example/b.pdf']);
		expect((documents[0].pages as unknown[]).length).toBe(2);
		expect(documents[2]).toEqual({ request_file_id: null, input: 'https://bad.example/b.pdf', status: 'failure', message: 'Failure: the file could not be downloaded' });
		expect(sandbox.requestsTo('/LabelUrls', 'POST').at(-1)?.status).toBe(202);
	});

	test('without waiting, predict returns the request_file_id; Get by File, by Page and Get Many find it', async () => {
		const sent = await run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', waitForCompletion: false },
			[binaryItem(makePdf({ spec: invoice }), 'later.pdf')],
		);
		expect(sent.error).toBeUndefined();
		const [pending] = jsonOf(sent);
		expect(pending).toMatchObject({ input: 'later.pdf', pages: 1, status: 'pending' });
		const requestFileId = String(pending.request_file_id);
		await new Promise((resolve) => setTimeout(resolve, 250));

		const byFile = await run({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId, outputFormat: 'document' });
		const [document] = jsonOf(byFile);
		expect(document.request_file_id).toBe(requestFileId);
		const page = (document.pages as Array<Record<string, unknown>>)[0];
		expect((page.predicted_boxes as unknown[]).length).toBeGreaterThan(0);

		const byPage = await run({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: String(page.id), outputFormat: 'simplified' });
		// Both vendor files show this answer with only input, message and prediction: no request_file_id.
		expect(jsonOf(byPage)[0]).toMatchObject({ document_id: null, original_document_name: 'later.pdf', fields: { invoice_number: 'INV-2001' } });

		const today = new Date().toISOString();
		const all = await run({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', startDate: today, endDate: today, returnAll: true, outputFormat: 'simplified' });
		expect(all.error).toBeUndefined();
		expect(jsonOf(all).map((d) => d.document_id)).toContain(requestFileId);
		const list = sandbox.requestsTo('ImageLevelInferences', 'GET').at(-1);
		const day = String(Math.floor(Date.now() / 86_400_000));
		expect(list?.query).toMatchObject({ start_day_interval: day, current_batch_day: day });
	});
});

test('an end date before the start date is refused before anything is sent', async () => {
	const before = sandbox.state.requests.length;
	const result = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', startDate: '2026-02-10T00:00:00Z', endDate: '2026-02-01T00:00:00Z' },
		credentials: credentialsFor(sandbox),
	});
	expect(result.error?.message).toMatch(/"End Date" is before the "Start Date"/);
	expect(sandbox.state.requests.length).toBe(before);
});
