/** Waiting for Nanonets to finish: polling schedule, timeout and cancellation. */

export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting for Nanonets');
		this.name = 'CancelledError';
	}
}

export class WaitTimeoutError extends Error {
	constructor(
		readonly what: string,
		readonly seconds: number,
	) {
		super(`${what} was not finished after ${seconds} seconds`);
		this.name = 'WaitTimeoutError';
	}
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new CancelledError();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new CancelledError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

export interface PollSchedule {
	/** Seconds before the first check, while this kind of job's processing time is unknown. */
	firstWait: number;
	/** Seconds; the longest gap between two checks. */
	maxWait: number;
	/** Each check comes at most this factor later (since the start) than the one before. */
	growth: number;
	/** Seconds after which waiting gives up. */
	timeout: number;
}

/** Checks never come closer together than this (seconds). */
const MIN_GAP = 0.1;
/** The first check, as a fraction of the expected time: just before the usual end. */
const FIRST_CHECK = 0.95;
/** Around the expected end, checks this fraction of the expected time apart: at most ~5% extra
 * waiting, and about ten status checks per document in the worst case, not a flood. */
const CLOSE_GAP = 0.05;

/** How long Nanonets took to finish recent jobs, per endpoint, to time the checks well. */
const observedSeconds = new Map<string, number>();

export function expectedProcessingSeconds(key: string): number | undefined {
	return observedSeconds.get(key);
}

function recordProcessingSeconds(key: string, seconds: number): void {
	const previous = observedSeconds.get(key);
	// A moving average that follows changes without jumping on one slow document.
	observedSeconds.set(key, previous === undefined ? seconds : previous * 0.7 + seconds * 0.3);
}

/** Seconds until the check after one made `elapsed` seconds after the start. */
function nextGap(elapsed: number, expected: number | undefined, schedule: PollSchedule): number {
	// Near the expected end, check often: finishing is likely, and a late check is pure waiting.
	if (expected !== undefined && elapsed < expected * 1.5) {
		return Math.min(Math.max(expected * CLOSE_GAP, MIN_GAP), schedule.maxWait);
	}
	// Otherwise space checks so that the wait after the end is at most (growth - 1) of the total.
	return Math.min(Math.max(elapsed * (schedule.growth - 1), MIN_GAP), schedule.maxWait);
}

/**
 * Calls `check` until it returns a value. The first check comes after the user's poll interval
 * or, once jobs of this kind were seen, just before they usually finish; later checks follow
 * closely around the expected end, then grow apart.
 */
export async function pollUntil<T>(
	check: () => Promise<T | undefined>,
	what: string,
	schedule: PollSchedule,
	signal: AbortSignal | undefined,
	statsKey: string,
): Promise<T> {
	const started = Date.now();
	const deadline = started + schedule.timeout * 1000;
	const expected = expectedProcessingSeconds(statsKey);
	let checkAt = expected === undefined ? schedule.firstWait : Math.max(MIN_GAP, expected * FIRST_CHECK);
	let lastPending: number | undefined;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw new WaitTimeoutError(what, schedule.timeout);
		await sleep(Math.min(Math.max(0, started + checkAt * 1000 - Date.now()), remaining), signal);
		const result = await check();
		const checkedAt = (Date.now() - started) / 1000;
		if (result !== undefined) {
			// The job ended between the last two checks. When the first check found it done, it
			// ended some unknown time before: guess low, so that the next first check comes
			// earlier and the checks after it find the end.
			recordProcessingSeconds(statsKey, lastPending === undefined ? checkedAt * 0.5 : (lastPending + checkedAt) / 2);
			return result;
		}
		lastPending = checkedAt;
		// Jobs running alongside may have finished meanwhile and taught us their time.
		checkAt = checkedAt + nextGap(checkedAt, expectedProcessingSeconds(statsKey), schedule);
	}
}
