import { sleep } from '../waiting';

const WINDOW_MS = 60_000;

/**
 * A sliding one-minute window of pages sent, shared by every request made with the same
 * account in this n8n process, so concurrent items and parallel executions stay under the
 * account's pages-per-minute limit instead of running into 429s.
 */
export class PageBudget {
	private sent: Array<{ at: number; pages: number }> = [];

	private queue: Promise<void> = Promise.resolve();

	constructor(private readonly pagesPerMinute: number) {}

	/** Waits until `pages` more pages fit in the last minute, then books them. */
	async take(pages: number, signal?: AbortSignal): Promise<void> {
		if (this.pagesPerMinute <= 0) return;
		// A document longer than the whole budget can never fit: book it against an empty window.
		const wanted = Math.min(Math.max(1, pages), this.pagesPerMinute);
		const turn = this.queue.then(() => this.waitForRoom(wanted, signal));
		// Later callers wait for this one even if it is cancelled.
		this.queue = turn.catch(() => undefined);
		await turn;
	}

	private async waitForRoom(pages: number, signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = Date.now();
			this.sent = this.sent.filter((entry) => now - entry.at < WINDOW_MS);
			const used = this.sent.reduce((total, entry) => total + entry.pages, 0);
			if (used + pages <= this.pagesPerMinute) {
				this.sent.push({ at: now, pages });
				return;
			}
			// Wait until enough of the oldest pages leave the window.
			let freed = 0;
			let waitUntil = now;
			for (const entry of this.sent) {
				freed += entry.pages;
				waitUntil = entry.at + WINDOW_MS;
				if (used - freed + pages <= this.pagesPerMinute) break;
			}
			await sleep(Math.max(1, waitUntil - now), signal);
		}
	}
}

const budgets = new Map<string, PageBudget>();

/** One budget per account (keyed without the secret itself) and per limit. */
export function pageBudgetFor(accountKey: string, pagesPerMinute: number): PageBudget {
	const key = `${accountKey}|${pagesPerMinute}`;
	let budget = budgets.get(key);
	if (!budget) {
		budget = new PageBudget(pagesPerMinute);
		budgets.set(key, budget);
	}
	return budget;
}
