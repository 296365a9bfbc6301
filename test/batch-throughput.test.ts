import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** Every timer stays real; only the clock (Date) is moved, to put earlier uploads a minute back. */
const REAL_TIMERS = [
	'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
	'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
	'setTimeout', 'clearTimeout',
] as const;

const upload = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	outputFormat: 'simplified',
	...extra,
});

function invoiceItem(index: number, options: { pages?: number; delayMs?: number } = {}) {
	const spec = { fields: { invoice_number: `INV-${index}` }, rows: [], ...(options.delayMs ? { delayMs: options.delayMs } : {}) };
	return binaryItem(makePdf({ pages: options.pages ?? 1, spec }), `invoice-${index}.pdf`, 'application/pdf', { index });
}

describe('a batch of documents', () => {
	let sandbox: Sandbox;
	afterEach(async () => await sandbox?.close());

	test('runs several items at once and returns their results in input order', async () => {
		sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
		// The first items take longest, so later ones finish first.
		// Wide apart: the node sees a document finish at its next status check, a little after.
		const delays = [1500, 1100, 700, 300, 100, 50, 50, 50, 50, 50, 50, 50];
		const result = await runNode({
			parameters: upload({ options: { concurrency: 4, pollInterval: 0.1 } }),
			items: delays.map((delayMs, index) => invoiceItem(index, { delayMs })),
			credentials: credentialsFor(sandbox),
		});

		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((document) => (document.fields as { invoice_number: string }).invoice_number)).toEqual(
			delays.map((_, index) => `INV-${index}`),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(delays.map((_, item) => ({ item })));

		// The sandbox finished them out of order, and never had more than 4 of them at once.
		const documents = (sandbox.state.workflows.get('wf-invoices') as Array<{ original_document_name: string; uploaded_at: string; readyAt: number }>)
			.map((d) => ({ name: d.original_document_name, from: Date.parse(d.uploaded_at), until: d.readyAt }));
		const finishOrder = [...documents].sort((a, b) => a.until - b.until).map((d) => d.name);
		expect(finishOrder[0]).not.toBe('invoice-0.pdf');
		expect(finishOrder.indexOf('invoice-4.pdf')).toBeLessThan(finishOrder.indexOf('invoice-0.pdf'));
		for (const document of documents) {
			const busy = documents.filter((other) => other.from <= document.from && other.until > document.from);
			expect(busy.length).toBeLessThanOrEqual(4);
		}
		const firstDone = Math.min(...documents.map((d) => d.until));
		expect(documents.filter((d) => d.from < firstDone)).toHaveLength(4);
	});

	/**
	 * Fills most of the account's minute with uploads made (by the clock) 59 seconds ago, then
	 * runs a batch that does not fit in what is left: it has to wait for the old pages to leave.
	 */
	async function batchOverTheLimit(credentialPagesPerMinute: number) {
		sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 600 });
		const credentials = credentialsFor(sandbox, credentialPagesPerMinute);
		jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: Date.now() - 59_000 });
		let earlier;
		try {
			earlier = await runNode({
				parameters: upload({ waitForCompletion: false, options: { concurrency: 10 } }),
				items: Array.from({ length: 11 }, (_, i) => invoiceItem(100 + i, { pages: 50 })),
				credentials,
			});
		} finally {
			jest.useRealTimers();
		}
		expect(earlier.error).toBeUndefined();
		const earlierUploads = sandbox.requestsTo('/documents', 'POST').length;
		// 550 of 600 pages are taken for about one more second; this batch needs 200.
		const batch = await runNode({
			parameters: upload({ options: { concurrency: 10 } }),
			items: Array.from({ length: 4 }, (_, i) => invoiceItem(i, { pages: 50 })),
			credentials,
		});
		const batchUploads = sandbox.requestsTo('/documents', 'POST').slice(earlierUploads);
		return { batch, batchUploads, firstEarlierUpload: sandbox.state.requests[0].at };
	}

	test('stays under the account limit: no 429 when pacing knows the limit', async () => {
		const { batch, batchUploads, firstEarlierUpload } = await batchOverTheLimit(600);

		expect(batch.error).toBeUndefined();
		expect(jsonOf(batch).map((document) => document.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(sandbox.state.stats.rateLimited).toBe(0);
		expect(batchUploads.every((request) => request.status === 200)).toBe(true);
		// Three of the four uploads waited until the earlier pages were a minute old.
		expect(batchUploads.filter((request) => request.at - firstEarlierUpload >= 60_000).length).toBeGreaterThanOrEqual(3);
	});

	test('without pacing, 429s are retried after Retry-After and none becomes an error', async () => {
		const { batch, batchUploads } = await batchOverTheLimit(0);

		expect(batch.error).toBeUndefined();
		expect(jsonOf(batch).map((document) => document.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(sandbox.state.stats.rateLimited).toBeGreaterThan(0);
		expect(batchUploads.filter((request) => request.status === 200)).toHaveLength(4);
	});
});
