import { sleep } from '../waiting';

const WINDOW_MS = 60_000;
/**
 * Nanonets counts a page when the upload reaches it, a little after we booked it: keeping our
 * pages in the window this much longer keeps our window from emptying before the server's does.
 */
const SAFETY_MARGIN_MS = 1_000;

interface Entry {
	at: number;
	pages: number;
}

/** Pages booked in the budget; `markSent` moves the booking to the time they really left. */
export interface Booking {
	markSent(): void;
}

const NO_BOOKING: Booking = { markSent: () => undefined };

/**
 * A sliding one-minute window of pages sent, shared by every request made with the same
 * account in this n8n process, so concurrent items and parallel executions stay under the
 * account's pages-per-minute limit instead of running into 429s.
 */
export class PageBudget {
	private sent: Entry[] = [];

	private queue: Promise<void> = Promise.resolve();

	constructor(private readonly pagesPerMinute: number) {}

	/** Waits until `pages` more pages fit in the last minute, then books them. */
	async take(pages: number, signal?: AbortSignal): Promise<Booking> {
		if (this.pagesPerMinute <= 0) return NO_BOOKING;
		// A document longer than the whole budget can never fit: book it against an empty window.
		const wanted = Math.min(Math.max(1, pages), this.pagesPerMinute);
		const turn = this.queue.then(() => this.waitForRoom(wanted, signal));
		// Later callers wait for this one even if it is cancelled.
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		const entry = await turn;
		return {
			markSent: () => {
				// Later than booked: the window keeps the pages until a minute after they left.
				entry.at = Math.max(entry.at, Date.now());
			},
		};
	}

	private async waitForRoom(pages: number, signal?: AbortSignal): Promise<Entry> {
		const window = WINDOW_MS + SAFETY_MARGIN_MS;
		for (;;) {
			const now = Date.now();
			this.sent = this.sent.filter((entry) => now - entry.at < window);
			const used = this.sent.reduce((total, entry) => total + entry.pages, 0);
			if (used + pages <= this.pagesPerMinute) {
				const entry = { at: now, pages };
				this.sent.push(entry);
				return entry;
			}
			// Wait until enough of the oldest pages leave the window (entries may be re-stamped,
			// so look at them in time order).
			const byTime = [...this.sent].sort((a, b) => a.at - b.at);
			let freed = 0;
			let waitUntil = now;
			for (const entry of byTime) {
				freed += entry.pages;
				waitUntil = entry.at + window;
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
