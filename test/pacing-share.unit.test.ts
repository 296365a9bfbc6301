/**
 * The share controller (pure): how one process's share of the account's limit reacts to 429s,
 * and a simulation of N processes against one sliding-window server, each with its own
 * controller and no other way to learn about the others.
 */
import { DEFAULT_SHARE_SETTINGS, ShareController } from '../nodes/Nanonets/transport/pacing';

const noJitter = () => 1;

describe('ShareController', () => {
	test('keeps the whole limit while nothing is refused', () => {
		const controller = new ShareController(300);
		for (let i = 0; i < 1000; i++) controller.accepted(controller.generation, 1);
		expect(controller.limit).toBe(300);
		expect(controller.share).toBe(1);
		expect(controller.msUntilAllowed(0, false)).toBe(0);
	});

	test('a 429 lowers the share multiplicatively, to what got through if that is more than half', () => {
		const halved = new ShareController(300);
		expect(halved.refused(0, 40, undefined, 0, noJitter).dropped).toBe(true);
		expect(halved.limit).toBe(150);

		const kept = new ShareController(300);
		kept.refused(0, 250, undefined, 0, noJitter);
		expect(kept.limit).toBe(225); // 0.9 of the 250 pages that got through
		expect(kept.share).toBe(0.75);
	});

	test('reacts once per congestion: 429s for requests booked before the drop, or while probing, do not count again', () => {
		const controller = new ShareController(300);
		const before = controller.generation;
		controller.refused(before, 100, undefined, 0, noJitter);
		expect(controller.limit).toBe(150);
		expect(controller.probing).toBe(true);
		// Others of the same burst, and the probes that follow, while the window is still full.
		for (let i = 0; i < 10; i++) expect(controller.refused(before, 100, undefined, 0, noJitter).dropped).toBe(false);
		for (let i = 0; i < 5; i++) expect(controller.refused(controller.generation, 100, undefined, 0, noJitter).dropped).toBe(false);
		expect(controller.limit).toBe(150);
		// An old request getting through does not end the probing; a new one does.
		controller.accepted(before, 1);
		expect(controller.probing).toBe(true);
		controller.accepted(controller.generation, 1);
		expect(controller.probing).toBe(false);
		// A 429 after that is a new congestion.
		expect(controller.refused(controller.generation, 100, undefined, 0, noJitter).dropped).toBe(true);
		expect(controller.limit).toBe(90); // 0.9 of the 100 pages that got through, more than half of 150.05
	});

	test('while probing, one request at a time: the next waits for the probe in flight', () => {
		const controller = new ShareController(300);
		controller.refused(0, 10, 0, 1000, noJitter);
		const hold = controller.msUntilAllowed(1000, false);
		expect(hold).toBe(DEFAULT_SHARE_SETTINGS.holdBaseMs);
		expect(controller.msUntilAllowed(1000 + hold, false)).toBe(0);
		expect(controller.msUntilAllowed(1000 + hold, true)).toBe(Infinity);
	});

	test('honours Retry-After, and backs off on its own when Retry-After is short and 429s keep coming', () => {
		const honest = new ShareController(300);
		expect(honest.refused(0, 10, 45_000, 0, noJitter).retryAt).toBe(45_000);

		// "Retry-After: 1" again and again while the window stays full: the waits grow past it.
		const lied = new ShareController(300);
		const waits: number[] = [];
		let now = 0;
		for (let i = 0; i < 7; i++) {
			const { retryAt } = lied.refused(lied.generation, 0, 1000, now, noJitter);
			waits.push(retryAt - now);
			now = retryAt;
		}
		expect(waits).toEqual([1000, 1000, 2000, 4000, 4000, 4000, 4000]);
		// One drop for the whole episode.
		expect(lied.share).toBe(0.5);
		// With jitter a wait is between half and all of the backoff.
		const jittered = new ShareController(300);
		jittered.refused(0, 0, undefined, 0, () => 1);
		jittered.refused(0, 0, undefined, 0, () => 0);
		expect(jittered.holdUntil).toBe(500);
	});

	test('raises the share additively while requests pass: a tenth of the limit per window of pages', () => {
		const controller = new ShareController(300);
		controller.refused(0, 0, undefined, 0, noJitter);
		expect(controller.limit).toBe(150);
		for (let i = 0; i < 150; i++) controller.accepted(controller.generation, 1);
		// 150 pages at about 150 a window: one window's growth, about 30 pages.
		expect(controller.limit).toBeGreaterThan(175);
		expect(controller.limit).toBeLessThan(181);
		for (let i = 0; i < 5000; i++) controller.accepted(controller.generation, 1);
		expect(controller.limit).toBe(300);
	});

	test('never below one page', () => {
		const controller = new ShareController(4);
		for (let i = 0; i < 20; i++) {
			controller.refused(controller.generation, 0, undefined, 0, noJitter);
			controller.accepted(controller.generation, 0);
		}
		expect(controller.limit).toBeGreaterThanOrEqual(1);
	});
});

/**
 * N processes, each sending one-page requests as fast as its own window and controller allow
 * (at most `perSecond`), to a server with a sliding one-minute window of `limit` pages. Time
 * moves in steps of 50 ms; answers are instant.
 */
function simulate({ processes, limit, minutes, retryAfter, perSecond = 10 }: { processes: number; limit: number; minutes: number; retryAfter: 'honest' | number; perSecond?: number }) {
	const step = 50;
	const windowMs = 60_000;
	const server: number[] = [];
	const workers = Array.from({ length: processes }, (_, i) => ({
		controller: new ShareController(limit),
		sent: [] as number[],
		nextAt: i * 7, // not in lockstep
		accepted: 0,
		refused: 0,
	}));
	let seed = 7;
	const random = () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
	const acceptedAt: number[] = [];
	for (let now = 0; now < minutes * windowMs; now += step) {
		while (server.length && now - server[0] >= windowMs) server.shift();
		for (const worker of workers) {
			worker.sent = worker.sent.filter((at) => now - at < windowMs + 1000);
			if (now < worker.nextAt || worker.controller.msUntilAllowed(now, false) > 0) continue;
			if (worker.sent.length > 0 && worker.sent.length + 1 > worker.controller.limit) continue;
			worker.nextAt = now + 1000 / perSecond;
			const generation = worker.controller.generation;
			if (server.length < limit) {
				server.push(now);
				worker.sent.push(now);
				worker.accepted += 1;
				acceptedAt.push(now);
				worker.controller.accepted(generation, 1);
			} else {
				worker.refused += 1;
				const asked = retryAfter === 'honest' ? Math.max(1000, server[0] + windowMs - now) : retryAfter;
				worker.controller.refused(generation, worker.sent.length, asked, now, random);
			}
		}
	}
	const perMinute = Array.from({ length: minutes }, (_, m) => acceptedAt.filter((at) => at >= m * windowMs && at < (m + 1) * windowMs).length);
	return {
		perMinute,
		accepted: workers.reduce((total, worker) => total + worker.accepted, 0),
		refused: workers.reduce((total, worker) => total + worker.refused, 0),
		shares: workers.map((worker) => Math.round(worker.controller.share * 100) / 100),
	};
}

describe('several processes on one account, each learning only from its own 429s', () => {
	test('one process alone sends at the whole limit and meets no 429', () => {
		const run = simulate({ processes: 1, limit: 300, minutes: 5, retryAfter: 1000 });
		expect(run.refused).toBe(0);
		expect(run.perMinute.every((pages) => pages >= 0.95 * 300)).toBe(true);
		expect(run.shares).toEqual([1]);
	});

	test.each([
		[2, 'honest' as const],
		[4, 'honest' as const],
		[2, 1000],
		[4, 1000],
		[8, 1000],
	])('%i processes (Retry-After: %s): together near the limit, few 429s, shares near 1/N', (processes, retryAfter) => {
		const run = simulate({ processes, limit: 300, minutes: 10, retryAfter });
		// Every minute after the first (which all processes start with the whole budget) uses
		// most of the limit, and never more than it (the server enforces that).
		for (const pages of run.perMinute.slice(1)) expect(pages).toBeGreaterThanOrEqual(0.85 * 300);
		expect(run.refused).toBeLessThanOrEqual(0.25 * run.accepted);
		const total = run.shares.reduce((sum, share) => sum + share, 0);
		expect(total).toBeGreaterThan(0.8);
		expect(total).toBeLessThan(1.6);
	});
});
