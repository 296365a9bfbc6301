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
	/** Seconds before the first poll. */
	firstWait: number;
	/** Seconds; each later wait grows by `growth` up to this. */
	maxWait: number;
	growth: number;
	/** Seconds after which waiting gives up. */
	timeout: number;
}

/** How long Nanonets took to finish recent jobs, per endpoint, to time the first poll well. */
const observedSeconds = new Map<string, number>();

export function expectedProcessingSeconds(key: string): number | undefined {
	return observedSeconds.get(key);
}

function recordProcessingSeconds(key: string, seconds: number): void {
	const previous = observedSeconds.get(key);
	// A moving average that follows changes without jumping on one slow document.
	observedSeconds.set(key, previous === undefined ? seconds : previous * 0.7 + seconds * 0.3);
}

/**
 * Calls `check` until it returns a value, on a growing schedule. The first wait is the user's
 * poll interval, or, once some jobs were seen, close to how long they took.
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
	let wait =
		expected === undefined ? schedule.firstWait : Math.max(schedule.firstWait, expected * 0.95);
	let firstWait = true;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw new WaitTimeoutError(what, schedule.timeout);
		await sleep(Math.min(wait * 1000, remaining), signal);
		const result = await check();
		if (result !== undefined) {
			recordProcessingSeconds(statsKey, (Date.now() - started) / 1000);
			return result;
		}
		// After an early first poll, poll again soon: the job is probably nearly done.
		wait = firstWait && expected !== undefined ? schedule.firstWait : Math.min(wait * schedule.growth, schedule.maxWait);
		firstWait = false;
	}
}
