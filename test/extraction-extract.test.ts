import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * Extraction > Extract against the sandbox's extraction API: every output format, fields and
 * schemas, sync for short documents, async with waiting for long ones, files attached.
 */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionProcessingMs: 150, extractionSyncMs: 10 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const spec = { fields: { invoice_number: 'INV-77', total_amount: '120.50' }, rows: [['Tea', '2', '5.00', '10.00']] };

function extract(parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items'], continueOnFail = false) {
	return runNode({
		parameters: { resource: 'extraction', operation: 'extract', ...parameters },
		items,
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		continueOnFail,
	});
}

test('a one-page PDF goes synchronously and comes back as markdown (the default)', async () => {
	const result = await extract({ inputType: 'binary' }, [binaryItem(makePdf({ spec }), 'invoice.pdf')]);
	expect(result.error).toBeUndefined();
	const [item] = jsonOf(result);
	expect(item).toMatchObject({ status: 'completed', filename: 'invoice.pdf', pages_processed: 1 });
	expect(item.record_id).toEqual(expect.any(String));
	expect(item.markdown).toContain('INV-77');
	expect(item).not.toHaveProperty('json');
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(1);
	expect(sandbox.requestsTo('/extract/async', 'POST')).toHaveLength(0);
	// The key travelled as a Bearer token, and the form named the format.
	expect(sandbox.requestsTo('/extract/sync')[0].fields?.output_format).toEqual(['markdown']);
	expect(result.items[0].pairedItem).toEqual({ item: 0 });
});

test('several formats at once: JSON as an object, markdown, HTML and CSV as text', async () => {
	const result = await extract({ inputType: 'binary', outputFormats: ['markdown', 'html', 'json', 'csv'] }, [binaryItem(makePdf({ spec }), 'invoice.pdf')]);
	const [item] = jsonOf(result);
	expect(item.json).toEqual({ invoice_number: 'INV-77', total_amount: '120.50' });
	expect(typeof item.markdown).toBe('string');
	expect(item.html).toContain('<table>');
	expect(item.csv).toBe('description,quantity,unit_price,amount\nTea,2,5.00,10.00');
	expect(sandbox.requestsTo('/extract/sync')[0].fields?.output_format).toEqual(['markdown,html,json,csv']);
});

test('JSON content sent as a JSON text is still an object', async () => {
	const result = await extract({ inputType: 'binary', outputFormats: ['json'] }, [binaryItem(makePdf({ spec: { ...spec, jsonAsText: true } }), 'invoice.pdf')]);
	expect(jsonOf(result)[0].json).toEqual({ invoice_number: 'INV-77', total_amount: '120.50' });
});

test('Fields become json_options as a list; missing fields are null', async () => {
	const result = await extract({ inputType: 'binary', outputFormats: ['json'], fields: 'invoice_number, due_date' }, [binaryItem(makePdf({ spec }), 'invoice.pdf')]);
	expect(jsonOf(result)[0].json).toEqual({ invoice_number: 'INV-77', due_date: null });
	expect(sandbox.requestsTo('/extract/sync')[0].fields?.json_options).toEqual(['["invoice_number","due_date"]']);
});

test('a JSON schema takes precedence over Fields', async () => {
	const schema = { type: 'object', properties: { total_amount: { type: 'string' } } };
	const result = await extract(
		{ inputType: 'binary', outputFormats: ['json'], fields: 'invoice_number', jsonSchema: JSON.stringify(schema) },
		[binaryItem(makePdf({ spec }), 'invoice.pdf')],
	);
	expect(jsonOf(result)[0].json).toEqual({ total_amount: '120.50' });
	expect(JSON.parse(sandbox.requestsTo('/extract/sync')[0].fields?.json_options?.[0] ?? '')).toEqual(schema);
});

test('custom instructions, prompt mode and metadata are sent, and metadata comes back per format', async () => {
	const result = await extract(
		{
			inputType: 'binary',
			outputFormats: ['json'],
			options: { customInstructions: 'Dates as YYYY-MM-DD', promptMode: 'replace', includeMetadata: ['boundingBoxes', 'confidenceScore'] },
		},
		[binaryItem(makePdf({ spec }), 'invoice.pdf')],
	);
	const fields = sandbox.requestsTo('/extract/sync')[0].fields;
	expect(fields).toMatchObject({ custom_instructions: ['Dates as YYYY-MM-DD'], prompt_mode: ['replace'], include_metadata: ['bounding_boxes,confidence_score'] });
	const [item] = jsonOf(result);
	expect(item.metadata).toMatchObject({ json: { confidence_score: { invoice_number: 95 }, bounding_boxes: expect.any(Object) } });
});

test('a 9-page PDF goes asynchronously and the node waits for its result', async () => {
	const result = await extract({ inputType: 'binary', outputFormats: ['csv'], options: { pollInterval: 0.1 } }, [binaryItem(makePdf({ pages: 9, spec }), 'long.pdf')]);
	expect(result.error).toBeUndefined();
	const [item] = jsonOf(result);
	expect(item).toMatchObject({ status: 'completed', pages_processed: 9, filename: 'long.pdf' });
	expect(item.csv).toContain('Tea');
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(0);
	expect(sandbox.requestsTo('/extract/async', 'POST')).toHaveLength(1);
	// It was polled: processing at first, completed at the end.
	expect(sandbox.requestsTo('/extract/results/', 'GET').length).toBeGreaterThanOrEqual(1);
});

test('a URL whose document the sync endpoint calls too long goes asynchronously', async () => {
	const result = await extract({ inputType: 'url', documentUrl: 'https://example.com/report-12pages.pdf', options: { pollInterval: 0.1 } });
	expect(result.error).toBeUndefined();
	const [item] = jsonOf(result);
	expect(item).toMatchObject({ status: 'completed', pages_processed: 12, filename: 'report-12pages.pdf' });
	const syncCalls = sandbox.requestsTo('/extract/sync', 'POST');
	expect(syncCalls.map((r) => r.status)).toEqual([400]);
	expect(sandbox.requestsTo('/extract/async', 'POST').map((r) => r.status)).toEqual([202]);
	expect(syncCalls[0].fields?.file_url).toEqual(['https://example.com/report-12pages.pdf']);
});

test('without waiting, a long document returns its record id and processing status; Get Result fetches it later', async () => {
	const result = await extract({ inputType: 'binary', waitForCompletion: false }, [binaryItem(makePdf({ pages: 7, spec }), 'long.pdf')]);
	const [queued] = jsonOf(result);
	expect(queued).toMatchObject({ status: 'processing', filename: 'long.pdf' });
	expect(queued).not.toHaveProperty('markdown');
	await new Promise((resolve) => setTimeout(resolve, 400));
	const later = await runNode({
		parameters: { resource: 'extraction', operation: 'getResult', recordId: queued.record_id as string },
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
	});
	expect(jsonOf(later)[0]).toMatchObject({ record_id: queued.record_id, status: 'completed', pages_processed: 7 });
	expect(jsonOf(later)[0].markdown).toContain('INV-77');
});

test('Attach as File puts CSV and markdown in binary fields for the next node', async () => {
	const result = await extract(
		{ inputType: 'binary', outputFormats: ['markdown', 'csv'], options: { attachAsFile: ['csv', 'markdown'] } },
		[binaryItem(makePdf({ spec }), 'invoice.pdf')],
	);
	const [item] = result.items;
	expect(item.binary?.csv).toMatchObject({ fileName: 'invoice.csv', mimeType: 'text/csv' });
	expect(item.binary?.markdown).toMatchObject({ fileName: 'invoice.md', mimeType: 'text/markdown' });
	expect(Buffer.from(item.binary!.csv.data, 'base64').toString('utf8')).toBe(item.json.csv);
	expect(item.json.csv).toContain('Tea');
});

test('Keep Binary keeps the input file beside the attached ones', async () => {
	const result = await extract(
		{ inputType: 'binary', outputFormats: ['csv'], options: { attachAsFile: ['csv'], keepBinary: true } },
		[binaryItem(makePdf({ spec }), 'invoice.pdf')],
	);
	expect(Object.keys(result.items[0].binary ?? {}).sort()).toEqual(['csv', 'data']);
});

test('images are extracted too, one item per input in input order', async () => {
	const result = await extract({ inputType: 'binary', options: { useBatch: false } }, [
		binaryItem(makePng(), 'a.png', 'image/png'),
		binaryItem(makePdf({ spec }), 'b.pdf'),
	]);
	expect(jsonOf(result).map((item) => item.filename)).toEqual(['a.png', 'b.pdf']);
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
});
