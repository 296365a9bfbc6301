import type { INodeExecutionData } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * Batching that keeps every option and every item: binary files of items with the same settings
 * share the batch endpoint (up to 50 a request); each item gets its own result or error, paired,
 * in input order; an item without a file is an error of its own, never skipped.
 */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionProcessingMs: 100, extractionSyncMs: 5 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const invoice = (n: number, name = `invoice-${n}.pdf`): INodeExecutionData =>
	binaryItem(makePdf({ spec: { fields: { invoice_number: `INV-${n}` }, rows: [[`Item ${n}`, '1', '1.00', '1.00']] } }), name, 'application/pdf', { n });

const extract = (parameters: Record<string, unknown>, items: INodeExecutionData[], continueOnFail = true) =>
	runNode({
		parameters: {
			resource: 'extraction',
			operation: 'extract',
			inputType: '={{ $json.url ? "url" : "binary" }}',
			documentUrl: '={{ $json.url }}',
			...parameters,
		},
		items,
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		continueOnFail,
	});

test('120 mixed items (binary, URL, one without a file) give 120 items in order, the bad one its own error', async () => {
	const items: INodeExecutionData[] = [];
	for (let n = 0; n < 120; n++) {
		if (n === 57) items.push({ json: { n, note: 'no file here' } });
		else if (n % 6 === 5) items.push({ json: { n, url: `https://example.com/doc-${n}.pdf` } });
		else items.push(invoice(n));
	}
	const result = await extract({ outputFormats: ['json', 'csv'], options: { pollInterval: 0.1, concurrency: 20 } }, items);
	expect(result.error).toBeUndefined();
	const out = jsonOf(result);
	expect(out).toHaveLength(120);
	expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_item, index) => ({ item: index })));
	out.forEach((item, n) => {
		if (n === 57) {
			expect(item.error).toMatch(/has no binary field "data"/);
			expect(item.error).toMatch(/item 58/);
		} else if (n % 6 === 5) {
			expect(item).toMatchObject({ status: 'completed', filename: `doc-${n}.pdf` });
		} else {
			// Each item's own result: its own file name and its own invoice number.
			expect(item).toMatchObject({ status: 'completed', filename: `invoice-${n}.pdf`, json: { invoice_number: `INV-${n}` } });
			expect(item.csv).toContain(`Item ${n}`);
		}
	});
	// The binary files went through the batch endpoint, at most 50 a request; URLs one by one.
	const batches = sandbox.requestsTo('/extract/batch', 'POST');
	const binaryCount = items.filter((item) => item.binary).length;
	expect(batches.map((r) => r.files?.length)).toEqual([50, binaryCount - 50]);
	expect(batches.flatMap((r) => r.files)).toHaveLength(binaryCount);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(items.filter((item) => item.json.url).length);
	// Every option travelled with the batch.
	expect(batches[0].fields).toMatchObject({ output_format: ['json,csv'] });
});

test('a batch keeps every option: fields, schema-less JSON list, instructions, prompt mode, metadata', async () => {
	const result = await extract(
		{
			outputFormats: ['json'],
			fields: 'invoice_number, total',
			options: { customInstructions: 'Amounts as numbers', promptMode: 'append', includeMetadata: ['confidenceScore'], pollInterval: 0.1, concurrency: 2 },
		},
		[invoice(1), invoice(2), invoice(3)],
	);
	const [batch] = sandbox.requestsTo('/extract/batch', 'POST');
	expect(batch.fields).toEqual({
		output_format: ['json'],
		json_options: ['["invoice_number","total"]'],
		include_metadata: ['confidence_score'],
		custom_instructions: ['Amounts as numbers'],
		prompt_mode: ['append'],
	});
	expect(jsonOf(result).map((item) => item.json)).toEqual([1, 2, 3].map((n) => ({ invoice_number: `INV-${n}`, total: null })));
	expect(jsonOf(result)[0].metadata).toMatchObject({ json: { confidence_score: expect.any(Object) } });
});

test('items whose settings differ go in separate batches, each with its own settings', async () => {
	const items = [1, 2, 3, 4, 5, 6].map((n) => ({ ...invoice(n), json: { n, lang: n % 2 ? 'German' : 'French' } }));
	const result = await extract({ options: { customInstructions: '={{ "Translate to " + $json.lang }}', pollInterval: 0.1, concurrency: 2 } }, items);
	expect(result.error).toBeUndefined();
	const batches = sandbox.requestsTo('/extract/batch', 'POST');
	expect(batches.map((r) => [r.fields?.custom_instructions?.[0], r.files])).toEqual([
		['Translate to German', ['invoice-1.pdf', 'invoice-3.pdf', 'invoice-5.pdf']],
		['Translate to French', ['invoice-2.pdf', 'invoice-4.pdf', 'invoice-6.pdf']],
	]);
	expect(jsonOf(result).map((item) => item.filename)).toEqual(items.map((_item, i) => `invoice-${i + 1}.pdf`));
});

test.each([
	['a count (as Nanonets\' SDK types it)', false, 'Nanonets rejected the file "reject-me.pdf" in a batch'],
	['a list with reasons', true, 'Nanonets rejected the file "reject-me.pdf" in a batch: Unsupported or unreadable file'],
])('a file Nanonets rejects in a batch fails alone, rejected_files as %s; the others of its batch come back', async (_name, asList, message) => {
	sandbox.state.config.extractionRejectedAsList = asList;
	try {
		const items = [invoice(1), invoice(2, 'reject-me.pdf'), invoice(3), invoice(4)];
		const result = await extract({ options: { pollInterval: 0.1, concurrency: 2 } }, items);
		const out = jsonOf(result);
		expect(out.map((item) => item.filename ?? item.error)).toEqual(['invoice-1.pdf', message, 'invoice-3.pdf', 'invoice-4.pdf']);
		expect(sandbox.requestsTo('/extract/batch', 'POST')).toHaveLength(1);
	} finally {
		sandbox.state.config.extractionRejectedAsList = false;
	}
});

test('a batch request that fails fails each of its items, with Nanonets\' message, and is not repeated', async () => {
	sandbox.fault({ path: '/extract/batch', status: 500, body: { detail: 'Internal error' } });
	const result = await extract({ options: { pollInterval: 0.1, concurrency: 2 } }, [invoice(1), invoice(2), invoice(3), { json: { url: 'https://example.com/x.pdf' } }]);
	const out = jsonOf(result);
	for (const item of out.slice(0, 3)) expect(item.error).toMatch(/^Nanonets had a server error \(500\): Internal error; the upload was not repeated/);
	expect(out[3]).toMatchObject({ status: 'completed', filename: 'x.pdf' });
	expect(sandbox.requestsTo('/extract/batch', 'POST')).toHaveLength(1);
});

test('without Continue On Fail, a missing file stops the run before anything is sent', async () => {
	const result = await extract({}, [invoice(1), { json: {} }, invoice(3)], false);
	expect(result.error?.message).toMatch(/item 2 has no binary field "data"/);
	expect(sandbox.state.requests).toHaveLength(0);
});

test('no more items than run at once, two items, or Use Batch Requests off: one sync request each', async () => {
	// 10 items, Concurrency 10 (the default): all run at once, each gets its sync answer.
	await extract({}, Array.from({ length: 10 }, (_, n) => invoice(n)));
	expect(sandbox.requestsTo('/extract/batch')).toHaveLength(0);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(10);
	sandbox.reset();
	// 11 items: more than run at once, so they share a batch.
	await extract({ options: { pollInterval: 0.1 } }, Array.from({ length: 11 }, (_, n) => invoice(n)));
	expect(sandbox.requestsTo('/extract/batch', 'POST').map((r) => r.files?.length)).toEqual([11]);
	sandbox.reset();
	await extract({ options: { concurrency: 1 } }, [invoice(1), invoice(2)]);
	expect(sandbox.requestsTo('/extract/batch')).toHaveLength(0);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(2);
	sandbox.reset();
	await extract({ options: { useBatch: false, concurrency: 1 } }, [invoice(1), invoice(2), invoice(3)]);
	expect(sandbox.requestsTo('/extract/batch')).toHaveLength(0);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(3);
});

test('a batch never asks for more pages than the credential\'s minute allows: the rest waits for the next request', async () => {
	// A budget of 4 pages a minute (a fresh sandbox: a budget of its own) and six one-page files.
	const small = await openSandbox({ extractionProcessingMs: 100, extractionPagesPerMinute: 4 });
	try {
		let cancel: () => void = () => undefined;
		const running = runNode({
			parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', options: { concurrency: 1, pollInterval: 0.1 } },
			items: [1, 2, 3, 4, 5, 6].map((n) => invoice(n)),
			credentials: credentialsFor(small, 4),
			typeVersion: 2,
			onStarted: (c) => (cancel = c),
		});
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// One request of 4 files went; the other 2 wait for room in the minute, not into a 429.
		expect(small.requestsTo('/extract/batch', 'POST').map((r) => [r.status, r.files?.length])).toEqual([[202, 4]]);
		cancel();
		expect((await running).run.status).toBe('canceled');
	} finally {
		await small.close();
	}
});

test('without waiting, batched items come back at once with their record IDs', async () => {
	const result = await extract({ waitForCompletion: false, options: { concurrency: 2 } }, [invoice(1), invoice(2), invoice(3)]);
	const out = jsonOf(result);
	expect(out.map((item) => [item.filename, item.status])).toEqual([
		['invoice-1.pdf', 'processing'],
		['invoice-2.pdf', 'processing'],
		['invoice-3.pdf', 'processing'],
	]);
	expect(new Set(out.map((item) => item.record_id)).size).toBe(3);
	expect(sandbox.requestsTo('/extract/results')).toHaveLength(0);
});
