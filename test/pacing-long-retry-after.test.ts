import type { INodeExecutionData } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * A 429 whose Retry-After is longer than the item's Timeout fails that item at once, and every
 * other request of the account in this process that would have to sit out the same wait fails
 * the same way, instead of waiting silently in the page budget's queue far past its Timeout
 * (the budget holds everything back until Retry-After has passed).
 */

let sandbox: Sandbox;
beforeEach(async () => {
	// A sandbox (and so an account, and a page budget) of its own for each test.
	sandbox = await openSandbox({ extractionSyncMs: 5 });
});
afterEach(async () => await sandbox.close());

const page = (n: number): INodeExecutionData => binaryItem(makePdf({ spec: { fields: { n: String(n) } } }), `page-${n}.pdf`, 'application/pdf', { n });

/** Runs Extract; cancels the run if it is still going after `limitMs` (it then shows as cancelled). */
async function extract(items: INodeExecutionData[], limitMs = 15_000): Promise<NodeRun> {
	let cancel: () => void = () => undefined;
	const running = runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', options: { concurrency: 1, timeout: 5, useBatch: false } },
		items,
		credentials: credentialsFor(sandbox, 20),
		typeVersion: 2,
		continueOnFail: true,
		onStarted: (c) => (cancel = c),
	});
	const guard = setTimeout(() => cancel(), limitMs);
	try {
		return await running;
	} finally {
		clearTimeout(guard);
	}
}

const hourLong429 = () => sandbox.fault({ path: '/extract/sync', status: 429, headers: { 'Retry-After': '3600' }, body: { detail: 'Hourly quota exceeded' } });

test('the other items of the run fail with the same rate-limit error, not after an hour in the queue', async () => {
	hourLong429();
	const result = await extract([page(1), page(2), page(3)]);
	expect(result.run.status).not.toBe('canceled');
	const out = jsonOf(result);
	expect(out).toHaveLength(3);
	expect(out[0].error).toMatch(/asked to wait 3600 seconds \(Retry-After\), longer than the Timeout option allows: Hourly quota exceeded/);
	for (const item of out.slice(1)) expect(item.error).toMatch(/rate limit .*longer than the Timeout option allows/i);
	// Only the first request reached Nanonets: the others knew better than to try.
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(1);
});

test('a later execution on the same account fails at once too, while Nanonets\' wait lasts', async () => {
	hourLong429();
	await extract([page(1)]);
	const later = await extract([page(2)]);
	expect(later.run.status).not.toBe('canceled');
	expect(jsonOf(later)[0].error).toMatch(/rate limit .*longer than the Timeout option allows/i);
	expect(sandbox.requestsTo('/extract/sync', 'POST')).toHaveLength(1);
});
