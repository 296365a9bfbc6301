import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * Batches under timing and answers the happy path does not see: a 429 on one of a batch's
 * requests, cancellation while the batch's records are awaited, a record whose status comes
 * back failed, and a failure without Continue On Fail.
 */

let sandbox: Sandbox;
beforeEach(async () => {
	sandbox = await openSandbox({ extractionProcessingMs: 300, extractionSyncMs: 1 });
});
afterEach(async () => await sandbox.close());

const invoice = (n: number, name = `invoice-${n}.pdf`): INodeExecutionData =>
	binaryItem(makePdf({ spec: { fields: { invoice_number: `INV-${n}` } } }), name, 'application/pdf', { n });

function extract(items: INodeExecutionData[], options: IDataObject = {}, extra: { pagesPerMinute?: number; continueOnFail?: boolean; onStarted?: (cancel: () => void) => void } = {}): Promise<NodeRun> {
	return runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', outputFormats: ['json'], options: { pollInterval: 0.1, concurrency: 2, ...options } },
		items,
		credentials: credentialsFor(sandbox, extra.pagesPerMinute ?? 0),
		typeVersion: 2,
		continueOnFail: extra.continueOnFail ?? true,
		onStarted: extra.onStarted,
	});
}

test('a 429 on a batch request: retried after Retry-After with the same files, the rest of the batch still paced to the minute', async () => {
	// 8 one-page files at 5 pages a minute: two requests (5 + 3); the first answered 429 once.
	sandbox.fault({ path: '/extract/batch', status: 429, body: { detail: 'Rate limit exceeded' }, headers: { 'Retry-After': '0.2' } });
	const items = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => invoice(n));
	let cancel: () => void = () => undefined;
	const running = extract(items, {}, { pagesPerMinute: 5, onStarted: (c) => (cancel = c) });
	// The three left after the first five wait for the next minute: look at what went, then stop.
	await new Promise((resolve) => setTimeout(resolve, 2500));
	const batches = sandbox.requestsTo('/extract/batch', 'POST');
	expect(batches.map((r) => r.status)).toEqual([429, 202]);
	expect(batches[1].files).toEqual(['invoice-1.pdf', 'invoice-2.pdf', 'invoice-3.pdf', 'invoice-4.pdf', 'invoice-5.pdf']);
	cancel();
	const result = await running;
	expect(result.run.status).toBe('canceled');
});

test('cancelled while the batch\'s records are awaited: the run stops at once and nothing more is asked', async () => {
	sandbox.state.config.extractionProcessingMs = 60_000;
	let cancel: () => void = () => undefined;
	const running = extract([1, 2, 3, 4].map((n) => invoice(n)), { concurrency: 1 }, { onStarted: (c) => (cancel = c) });
	await new Promise((resolve) => setTimeout(resolve, 800));
	expect(sandbox.requestsTo('/extract/batch', 'POST')).toHaveLength(1);
	cancel();
	const result = await running;
	expect(result.run.status).toBe('canceled');
	const asked = sandbox.state.requests.length;
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(sandbox.state.requests.length).toBe(asked);
});

test('a record the batch answer already calls failed fails its item alone; the others wait for theirs', async () => {
	sandbox.fault({
		path: '/extract/batch',
		body: (answer: IDataObject) => ({
			...answer,
			records: (answer.records as IDataObject[]).map((record, index) => (index === 1 ? { ...record, status: 'failed', success: false, message: 'Unreadable page' } : record)),
		}),
	});
	const result = await extract([1, 2, 3].map((n) => invoice(n)));
	const out = jsonOf(result);
	expect(out.map((item) => (item.json as IDataObject)?.invoice_number ?? item.error)).toEqual(['INV-1', expect.stringMatching(/could not extract "invoice-2\.pdf".*Unreadable page/), 'INV-3']);
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('without Continue On Fail, a rejected file stops the run with its own error, naming it', async () => {
	const result = await extract([invoice(1), invoice(2, 'reject-me.pdf'), invoice(3)], {}, { continueOnFail: false });
	expect(result.error?.message).toMatch(/rejected the file "reject-me\.pdf"/);
	expect(result.items).toHaveLength(0);
});
