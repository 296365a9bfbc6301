/**
 * An account whose pages-per-minute window is also used from outside this n8n process (another
 * worker in queue mode, another system): the sandbox's window starts full of pages this process
 * never sent. Items still succeed, this process's share of the limit drops on the 429s and grows
 * again as uploads pass, and a 429 fails an item only when its Timeout runs out.
 */
import { join } from 'node:path';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, PACKAGE_ROOT, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

interface BudgetView {
	share: number;
	history: Array<{ at: number; share: number; reason: string }>;
	stats: { refused: number; drops: number };
}
// The engine loads the node from dist/: its budgets live in that copy of the module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pageBudgets } = require(join(PACKAGE_ROOT, 'dist/nodes/Nanonets/transport/pacing')) as { pageBudgets: () => Map<string, BudgetView> };

const LIMIT = 20;

let sandbox: Sandbox;
afterEach(async () => await sandbox?.close());

const upload = (options: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	waitForCompletion: false,
	options: { concurrency: 10, ...options },
});

const invoices = (count: number) =>
	Array.from({ length: count }, (_, i) => binaryItem(makePdf({ spec: { fields: { invoice_number: `INV-${i}` } } }), `invoice-${i}.pdf`, 'application/pdf', { index: i }));

/** The sandbox's window for the API key account holds `pages` pages sent `ageMs` ago by someone else. */
function fillWindowFromOutside(pages: number, ageMs: number) {
	(sandbox.state as unknown as { pagesSent: Map<string, Array<{ at: number; pages: number }>> }).pagesSent.set('direct', [{ at: Date.now() - ageMs, pages }]);
}

function budgetOf(url: string): BudgetView {
	const entry = [...pageBudgets().entries()].find(([key]) => key.includes(url) && key.endsWith(`|${LIMIT}`));
	if (!entry) throw new Error(`no page budget for ${url}`);
	return entry[1];
}

const uploads = () => sandbox.requestsTo('/documents', 'POST');

/** Every file uploaded once: no 200 answer for the same bytes twice. */
function duplicates() {
	const accepted = uploads().filter((request) => request.status === 200).map((request) => request.upload?.sha256);
	return accepted.length - new Set(accepted).size;
}

test('a window filled from outside: the share drops on the 429s, Retry-After is honoured, every item succeeds and the share grows again', async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: LIMIT });
	// Full for 3 more seconds.
	fillWindowFromOutside(LIMIT, 57_000);
	const started = Date.now();
	const result = await runNode({ parameters: upload(), items: invoices(10), credentials: credentialsFor(sandbox, LIMIT) });

	expect(result.error).toBeUndefined();
	expect(jsonOf(result).map((document) => typeof document.document_id)).toEqual(Array(10).fill('string'));
	expect(uploads().filter((request) => request.status === 200)).toHaveLength(10);
	expect(duplicates()).toBe(0);
	// The burst met 429s (at most one per item in flight, then one probe that got through)...
	const refused = uploads().filter((request) => request.status === 429);
	expect(refused.length).toBeGreaterThan(0);
	expect(refused.length).toBeLessThanOrEqual(11);
	// ...and nothing went again before the sandbox's Retry-After (3 s) had passed.
	const firstAccepted = uploads().find((request) => request.status === 200)!;
	expect(firstAccepted.at - started).toBeGreaterThanOrEqual(2500);

	const budget = budgetOf(sandbox.url);
	const shares = budget.history.map((change) => change.share);
	expect(budget.stats.drops).toBe(1);
	expect(Math.min(...shares)).toBe(0.5);
	expect(budget.history[0].reason).toBe('refused');
	// Then each upload that passed raised it a little.
	expect(budget.share).toBeGreaterThan(0.5);
	expect(budget.history.at(-1)?.reason).toBe('accepted');
});

test('"Retry-After: 1" while the window stays full for 30 s: one request probes at growing intervals, the others wait, none fails', async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: LIMIT, retryAfterSeconds: 1 });
	fillWindowFromOutside(LIMIT, 30_000);
	const freeAt = Date.now() + 30_000;
	const result = await runNode({ parameters: upload(), items: invoices(5), credentials: credentialsFor(sandbox, LIMIT) });

	expect(result.error).toBeUndefined();
	expect(jsonOf(result)).toHaveLength(5);
	expect(uploads().filter((request) => request.status === 200)).toHaveLength(5);
	expect(duplicates()).toBe(0);
	const refused = uploads().filter((request) => request.status === 429);
	// The first burst (5), then about one probe every 2-4 s: not one request per item per second.
	expect(refused.length).toBeLessThanOrEqual(5 + 16);
	// The probing item was refused more often than the 8 attempts that used to fail an item.
	const perFile = new Map<string, number>();
	for (const request of refused) perFile.set(request.upload!.filename, (perFile.get(request.upload!.filename) ?? 0) + 1);
	expect(Math.max(...perFile.values())).toBeGreaterThanOrEqual(9);
	// Nothing got through before the window had room, and the work resumed within a probe's wait.
	const firstAccepted = uploads().find((request) => request.status === 200)!;
	expect(firstAccepted.at).toBeGreaterThanOrEqual(freeAt - 100);
	expect(firstAccepted.at - freeAt).toBeLessThan(4_500);
	expect(budgetOf(sandbox.url).stats.drops).toBe(1);
}, 60_000);

test('a window that stays full longer than the item\'s Timeout: the items fail with a 429 error that says so', async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: LIMIT, retryAfterSeconds: 1 });
	fillWindowFromOutside(LIMIT, 10_000);
	const started = Date.now();
	const result = await runNode({ parameters: upload({ timeout: 3 }), items: invoices(2), credentials: credentialsFor(sandbox, LIMIT), continueOnFail: true });

	expect(Date.now() - started).toBeLessThan(6_000);
	const errors = result.items.map((item) => String(item.json.error ?? ''));
	expect(errors).toHaveLength(2);
	for (const error of errors) expect(error).toMatch(/^Nanonets' rate limit was still exceeded, and waiting longer would outlast the Timeout option; the last time it asked to wait 1 second \(Retry-After\)/);
	expect(uploads().filter((request) => request.status === 200)).toHaveLength(0);
});
