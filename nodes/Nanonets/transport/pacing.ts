import { sleep } from 'n8n-workflow';

const WINDOW_MS = 60_000;
/**
 * Nanonets counts a page when the upload reaches it, a little after we booked it: keeping our
 * pages in the window this much longer keeps our window from emptying before the server's does.
 */
const SAFETY_MARGIN_MS = 1_000;

/** How the share of the account's limit reacts to 429s (see `ShareController`). */
export interface ShareSettings {
	/** On a 429 the limit falls to at least this fraction of itself... */
	decrease: number;
	/** ...or to this fraction of the pages that got through in the window, if that is more. */
	keepUsed: number;
	/** While requests pass, the limit grows by this fraction of the credential's limit per window of pages. */
	increase: number;
	/** Waits after a 429 grow from this (ms) while 429s follow each other... */
	holdBaseMs: number;
	/** ...up to this, unless Retry-After asks for longer. */
	holdMaxMs: number;
}

export const DEFAULT_SHARE_SETTINGS: ShareSettings = {
	decrease: 0.5,
	keepUsed: 0.9,
	increase: 0.1,
	holdBaseMs: 500,
	holdMaxMs: 4_000,
};

/**
 * This process's share of the account's pages-per-minute limit, learnt from 429s alone, so that
 * several n8n processes (queue mode workers) using one account settle near 1/N of the limit each
 * without talking to each other. Pure: every time is passed in.
 *
 * - A 429 lowers the limit multiplicatively, once per congestion: a 429 for a request booked
 *   before the last decrease, or while the share is already being probed, does not count again.
 * - After a 429 nothing is sent before Retry-After (or a backoff that doubles with each 429 in a
 *   row, whatever Retry-After says: it may say 1 second while the window stays full for a
 *   minute), and then one request at a time (a probe) until one gets through.
 * - Each page that gets through raises the limit a little (additively: `increase` of the
 *   credential's limit per window's worth of pages), never above the credential's limit.
 *
 * One process that never meets a 429 keeps the credential's whole limit.
 */
export class ShareController {
	private limitPages: number;

	/** Counts the decreases; a booking remembers the one it was made under. */
	private generationCount = 0;

	private congestedSince: number | undefined;

	private refusedInRow = 0;

	private holdUntilMs = 0;

	constructor(
		readonly pagesPerMinute: number,
		private readonly settings: ShareSettings = DEFAULT_SHARE_SETTINGS,
	) {
		this.limitPages = pagesPerMinute;
	}

	/** Pages this process may have in the window now. */
	get limit(): number {
		return this.limitPages;
	}

	get share(): number {
		return this.pagesPerMinute > 0 ? this.limitPages / this.pagesPerMinute : 1;
	}

	get generation(): number {
		return this.generationCount;
	}

	/** After a 429 and until a request booked since gets through: send one at a time. */
	get probing(): boolean {
		return this.congestedSince !== undefined;
	}

	get holdUntil(): number {
		return this.holdUntilMs;
	}

	/**
	 * A request booked under `generation` was refused (429). `usedPages`: our pages in the window
	 * that Nanonets took. Returns whether the limit dropped, and when the next request may go.
	 */
	refused(
		generation: number,
		usedPages: number,
		retryAfterMs: number | undefined,
		now: number,
		random: () => number = Math.random,
	): { dropped: boolean; retryAt: number } {
		let dropped = false;
		if (!this.probing && generation === this.generationCount) {
			const next = Math.max(this.settings.decrease * this.limitPages, this.settings.keepUsed * usedPages);
			this.limitPages = Math.min(this.pagesPerMinute, Math.max(1, Math.min(next, this.limitPages)));
			this.generationCount += 1;
			this.congestedSince = now;
			dropped = true;
		}
		this.refusedInRow += 1;
		const backoff = Math.min(this.settings.holdBaseMs * 2 ** (this.refusedInRow - 1), this.settings.holdMaxMs);
		// Jitter, so that processes refused together do not all come back at the same moment.
		const floor = backoff / 2 + random() * (backoff / 2);
		this.holdUntilMs = Math.max(this.holdUntilMs, now + Math.max(retryAfterMs ?? 0, floor));
		return { dropped, retryAt: this.holdUntilMs };
	}

	/** A request booked under `generation` got through with `pages` pages. */
	accepted(generation: number, pages: number): void {
		this.refusedInRow = 0;
		if (this.probing) {
			// Only a request booked after the decrease shows that the lower limit fits.
			if (generation !== this.generationCount) return;
			this.congestedSince = undefined;
		}
		const grown = this.limitPages + (this.settings.increase * this.pagesPerMinute * pages) / this.limitPages;
		this.limitPages = Math.min(this.pagesPerMinute, grown);
	}

	/** 0 when a request may go now; otherwise ms to wait (Infinity: until the probe in flight ends). */
	msUntilAllowed(now: number, probeInFlight: boolean): number {
		if (now < this.holdUntilMs) return this.holdUntilMs - now;
		return this.probing && probeInFlight ? Infinity : 0;
	}
}

interface Entry {
	at: number;
	pages: number;
}

/** Pages booked in the budget, and what became of the request that carries them. */
export interface Booking {
	/** Whether the account's budget paces this request (false: no Pages per Minute set). */
	readonly paced: boolean;
	/** The pages leave now: the window counts them from here. */
	markSent(): void;
	/** Nanonets took the request: the share may grow. */
	accepted(): void;
	/**
	 * Nanonets answered 429: the pages leave the window, the share may drop, and this waits until
	 * the request may go again (booked anew). Rejects with `RateLimitWaitError` when that would be
	 * after `deadline`, or with an error when `signal` aborts.
	 */
	refused(retryAfterMs: number | undefined, signal: AbortSignal | undefined, deadline: number): Promise<void>;
	/** The request is over, whatever its outcome. */
	release(): void;
}

const NO_BOOKING: Booking = {
	paced: false,
	markSent: () => undefined,
	accepted: () => undefined,
	refused: async () => undefined,
	release: () => undefined,
};

/** A refused request could not go again before its deadline; `retryAt` is when it could have. */
export class RateLimitWaitError extends Error {
	constructor(readonly retryAt: number) {
		super('the rate limit wait outlasts the deadline');
		this.name = 'RateLimitWaitError';
	}
}

/** A request waiting for room, in arrival order (a refused one goes back to the front). */
interface Waiter {
	pages: number;
	/** The latest time this request may still go; a hold by Retry-After past it fails it. */
	holdDeadline?: number;
	admit(entry: Entry, probe: boolean): void;
	fail(error: Error): void;
}

/** Kept for looking back at how the share moved (newest last). */
const HISTORY_LENGTH = 200;

/**
 * A sliding one-minute window of pages sent, shared by every request made with the same
 * account in this n8n process, so concurrent items and parallel executions stay under the
 * account's pages-per-minute limit instead of running into 429s. Requests get their turn in
 * arrival order; a cancelled one leaves the queue at once and books nothing. With several
 * processes on one account the window's size is this process's share (`ShareController`).
 */
export class PageBudget {
	private sent: Entry[] = [];

	private waiters: Waiter[] = [];

	private serving = false;

	/** Wakes the server early when the queue or the share changes. */
	private wake?: AbortController;

	private probeInFlight = false;

	readonly controller: ShareController;

	/** How the share moved: { at, share, reason }. */
	readonly history: Array<{ at: number; share: number; reason: 'refused' | 'accepted' }> = [];

	/** 429s this budget met, and how many lowered the share. */
	readonly stats = { refused: 0, drops: 0 };

	constructor(private readonly pagesPerMinute: number, settings?: ShareSettings) {
		this.controller = new ShareController(pagesPerMinute, settings);
	}

	get share(): number {
		return this.controller.share;
	}

	/**
	 * Waits until `pages` more pages fit in the last minute, then books them. Rejects on abort,
	 * and with `RateLimitWaitError` as soon as Nanonets' Retry-After (met by any request of the
	 * account) holds everything back past `holdDeadline`: waiting for room is pacing, but sitting
	 * out a wait Nanonets asked for is bounded by the request's Timeout, as after its own 429.
	 */
	async take(pages: number, signal?: AbortSignal, holdDeadline?: number): Promise<Booking> {
		if (this.pagesPerMinute <= 0) return NO_BOOKING;
		// A document longer than the whole budget can never fit: book it against an empty window.
		const wanted = Math.min(Math.max(1, pages), this.pagesPerMinute);
		const booking = new PacedBooking(this, wanted);
		await booking.book(signal, undefined, false, holdDeadline);
		return booking;
	}

	/** Queues for room; `front`: a refused request goes before those that never went. */
	enqueue(
		pages: number,
		signal: AbortSignal | undefined,
		deadline: number | undefined,
		front: boolean,
		holdDeadline: number | undefined = deadline,
	): Promise<{ entry: Entry; probe: boolean }> {
		if (signal?.aborted) return Promise.reject(new Error('cancelled'));
		return new Promise((resolve, reject) => {
			const timer = new AbortController();
			const leave = (error: Error) => {
				signal?.removeEventListener('abort', cancel);
				timer.abort();
				this.waiters = this.waiters.filter((other) => other !== waiter);
				this.wakeUp();
				reject(error);
			};
			const cancel = () => leave(new Error('cancelled'));
			const waiter: Waiter = {
				pages,
				holdDeadline,
				fail: leave,
				admit: (entry, probe) => {
					signal?.removeEventListener('abort', cancel);
					timer.abort();
					resolve({ entry, probe });
				},
			};
			signal?.addEventListener('abort', cancel, { once: true });
			if (deadline !== undefined) {
				sleep(Math.max(0, deadline - Date.now()), timer.signal).then(
					() => leave(new RateLimitWaitError(Math.max(deadline, this.controller.holdUntil))),
					() => undefined,
				);
			}
			if (front) this.waiters.unshift(waiter);
			else this.waiters.push(waiter);
			this.wakeUp();
			void this.serve();
		});
	}

	/** Our pages in the window now. */
	usedPages(): number {
		this.prune(Date.now());
		return this.sent.reduce((total, entry) => total + entry.pages, 0);
	}

	/** A refused request's pages never reached Nanonets' count: they leave ours too. */
	forget(entry: Entry): void {
		this.sent = this.sent.filter((other) => other !== entry);
	}

	noteRefused(generation: number, retryAfterMs: number | undefined): number {
		const { dropped, retryAt } = this.controller.refused(generation, this.usedPages(), retryAfterMs, Date.now());
		this.stats.refused += 1;
		if (dropped) {
			this.stats.drops += 1;
			this.record('refused');
		}
		return retryAt;
	}

	noteAccepted(generation: number, pages: number): void {
		const before = this.controller.share;
		this.controller.accepted(generation, pages);
		if (this.controller.share !== before) this.record('accepted');
		this.wakeUp();
	}

	probeEnded(): void {
		this.probeInFlight = false;
		this.wakeUp();
	}

	private record(reason: 'refused' | 'accepted'): void {
		this.history.push({ at: Date.now(), share: this.controller.share, reason });
		if (this.history.length > HISTORY_LENGTH) this.history.splice(0, this.history.length - HISTORY_LENGTH);
	}

	private wakeUp(): void {
		this.wake?.abort();
	}

	/** Admits waiters in order while their pages fit; sleeps until the window has room. */
	private async serve(): Promise<void> {
		if (this.serving) return;
		this.serving = true;
		try {
			while (this.waiters.length > 0) {
				const now = Date.now();
				const holdUntil = this.controller.holdUntil;
				if (holdUntil > now) {
					for (const waiter of [...this.waiters]) {
						if (waiter.holdDeadline !== undefined && holdUntil > waiter.holdDeadline) waiter.fail(new RateLimitWaitError(holdUntil));
					}
					if (this.waiters.length === 0) break;
				}
				const head = this.waiters[0];
				const gate = this.controller.msUntilAllowed(now, this.probeInFlight);
				const waitMs = gate > 0 ? gate : this.msUntilRoom(head.pages);
				if (waitMs <= 0) {
					const entry = { at: now, pages: head.pages };
					const probe = this.controller.probing;
					if (probe) this.probeInFlight = true;
					this.sent.push(entry);
					this.waiters.shift();
					head.admit(entry, probe);
					continue;
				}
				this.wake = new AbortController();
				// Waiting for a probe's answer: woken when it ends (a minute at most, then look again).
				await sleep(Number.isFinite(waitMs) ? waitMs : WINDOW_MS, this.wake.signal).catch(() => undefined);
				this.wake = undefined;
			}
		} finally {
			this.serving = false;
		}
	}

	private prune(now: number): void {
		const window = WINDOW_MS + SAFETY_MARGIN_MS;
		this.sent = this.sent.filter((entry) => now - entry.at < window);
	}

	/** 0 when `pages` fit now; otherwise how long until enough of the oldest pages leave. */
	private msUntilRoom(pages: number): number {
		const window = WINDOW_MS + SAFETY_MARGIN_MS;
		const now = Date.now();
		this.prune(now);
		const used = this.sent.reduce((total, entry) => total + entry.pages, 0);
		const limit = this.controller.limit;
		// A document longer than the share goes when the window is empty.
		if (used === 0 || used + pages <= limit) return 0;
		// Entries may be re-stamped by markSent, so look at them in time order.
		const byTime = [...this.sent].sort((a, b) => a.at - b.at);
		let freed = 0;
		let waitUntil = now;
		for (const entry of byTime) {
			freed += entry.pages;
			waitUntil = entry.at + window;
			if (used - freed === 0 || used - freed + pages <= limit) break;
		}
		return Math.max(1, waitUntil - now);
	}
}

/** One request's pages in the budget, from its first booking through its retries. */
class PacedBooking implements Booking {
	readonly paced = true;

	private entry?: Entry;

	private generation = 0;

	private probe = false;

	constructor(
		private readonly budget: PageBudget,
		private readonly pages: number,
	) {}

	async book(signal: AbortSignal | undefined, deadline: number | undefined, front: boolean, holdDeadline = deadline): Promise<void> {
		const { entry, probe } = await this.budget.enqueue(this.pages, signal, deadline, front, holdDeadline);
		this.entry = entry;
		this.probe = probe;
		this.generation = this.budget.controller.generation;
	}

	markSent(): void {
		// Later than booked: the window keeps the pages until a minute after they left.
		if (this.entry) this.entry.at = Math.max(this.entry.at, Date.now());
	}

	accepted(): void {
		this.budget.noteAccepted(this.generation, this.pages);
		this.endProbe();
	}

	async refused(retryAfterMs: number | undefined, signal: AbortSignal | undefined, deadline: number): Promise<void> {
		if (this.entry) this.budget.forget(this.entry);
		this.entry = undefined;
		const retryAt = this.budget.noteRefused(this.generation, retryAfterMs);
		this.endProbe();
		if (retryAt > deadline) throw new RateLimitWaitError(retryAt);
		await this.book(signal, deadline, true);
	}

	release(): void {
		this.endProbe();
	}

	private endProbe(): void {
		if (!this.probe) return;
		this.probe = false;
		this.budget.probeEnded();
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

/** The budgets of this process by account key (no secrets in the keys), to look at their shares. */
export function pageBudgets(): ReadonlyMap<string, PageBudget> {
	return budgets;
}
