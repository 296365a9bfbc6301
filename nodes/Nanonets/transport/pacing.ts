import { sleep } from 'n8n-workflow';

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

/** A request waiting for room, in arrival order. */
interface Waiter {
	pages: number;
	admit(entry: Entry): void;
}

/**
 * A sliding one-minute window of pages sent, shared by every request made with the same
 * account in this n8n process, so concurrent items and parallel executions stay under the
 * account's pages-per-minute limit instead of running into 429s. Requests get their turn in
 * arrival order; a cancelled one leaves the queue at once and books nothing.
 */
export class PageBudget {
	private sent: Entry[] = [];

	private waiters: Waiter[] = [];

	private serving = false;

	/** Wakes the server early when the queue changes (a waiter left). */
	private wake?: AbortController;

	constructor(private readonly pagesPerMinute: number) {}

	/** Waits until `pages` more pages fit in the last minute, then books them. Rejects on abort. */
	async take(pages: number, signal?: AbortSignal): Promise<Booking> {
		if (this.pagesPerMinute <= 0) return NO_BOOKING;
		if (signal?.aborted) return await Promise.reject(new Error('cancelled'));
		// A document longer than the whole budget can never fit: book it against an empty window.
		const wanted = Math.min(Math.max(1, pages), this.pagesPerMinute);
		const entry = await new Promise<Entry>((resolve, reject) => {
			const leave = () => {
				this.waiters = this.waiters.filter((other) => other !== waiter);
				this.wake?.abort();
				reject(new Error('cancelled'));
			};
			const waiter: Waiter = {
				pages: wanted,
				admit: (booked) => {
					signal?.removeEventListener('abort', leave);
					resolve(booked);
				},
			};
			signal?.addEventListener('abort', leave, { once: true });
			this.waiters.push(waiter);
			void this.serve();
		});
		return {
			markSent: () => {
				// Later than booked: the window keeps the pages until a minute after they left.
				entry.at = Math.max(entry.at, Date.now());
			},
		};
	}

	/** Admits waiters in order while their pages fit; sleeps until the window has room. */
	private async serve(): Promise<void> {
		if (this.serving) return;
		this.serving = true;
		try {
			while (this.waiters.length > 0) {
				const head = this.waiters[0];
				const waitMs = this.msUntilRoom(head.pages);
				if (waitMs <= 0) {
					const entry = { at: Date.now(), pages: head.pages };
					this.sent.push(entry);
					this.waiters.shift();
					head.admit(entry);
					continue;
				}
				this.wake = new AbortController();
				await sleep(waitMs, this.wake.signal).catch(() => undefined);
				this.wake = undefined;
			}
		} finally {
			this.serving = false;
		}
	}

	/** 0 when `pages` fit now; otherwise how long until enough of the oldest pages leave. */
	private msUntilRoom(pages: number): number {
		const window = WINDOW_MS + SAFETY_MARGIN_MS;
		const now = Date.now();
		this.sent = this.sent.filter((entry) => now - entry.at < window);
		const used = this.sent.reduce((total, entry) => total + entry.pages, 0);
		if (used + pages <= this.pagesPerMinute) return 0;
		// Entries may be re-stamped by markSent, so look at them in time order.
		const byTime = [...this.sent].sort((a, b) => a.at - b.at);
		let freed = 0;
		let waitUntil = now;
		for (const entry of byTime) {
			freed += entry.pages;
			waitUntil = entry.at + window;
			if (used - freed + pages <= this.pagesPerMinute) break;
		}
		return Math.max(1, waitUntil - now);
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
