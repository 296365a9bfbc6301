import { activeTrigger } from './engine/activeTrigger';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { addDocument, finish, resetV4, v4 } from './engine/v4Sandbox';

/**
 * A seeded soak of the Nanonets Trigger: 1,000 documents arrive over 50 polls while documents
 * finish, fail, get deleted and fail to be read, before and between list page requests, from a
 * server with small pages. Every document that reached "success" is emitted exactly once, and
 * nothing else is.
 */
let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 3_600_000, perPageMs: 0, pagesPerMinute: 0, workflows: ['wf-soak-object', 'wf-soak-array'] });
});
afterEach(() => resetV4(sandbox));
afterAll(async () => await sandbox.close());

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const POLLS = 50;
const UPLOADS_PER_POLL = 20;

test.each([
	['object', 20261125],
	['array', 11],
] as const)('list answered as %s, seed %d: each processed document emitted exactly once', async (listShape, seed) => {
	const random = seeded(seed);
	const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
	const workflowId = `wf-soak-${listShape}`;
	const behaviour = v4(sandbox).v4;
	behaviour.listShape = listShape;
	behaviour.pageSizeCap = 10;

	const processing = new Set<string>();
	const reachedSuccess = new Set<string>();
	const alive = new Set<string>();
	const emitted = new Map<string, number>();
	let uploaded = 0;

	const upload = () => {
		const roll = random();
		const done = roll < 0.7;
		const id = addDocument(sandbox, workflowId, { done, outcome: roll < 0.6 ? 'success' : 'failure' });
		uploaded++;
		alive.add(id);
		if (!done) processing.add(id);
		else if (roll < 0.6) reachedSuccess.add(id);
	};
	const progress = (chance: number) => {
		for (const id of [...processing]) {
			if (random() >= chance) continue;
			const success = random() < 0.85;
			finish(sandbox, workflowId, id, success ? 'success' : 'failure');
			processing.delete(id);
			if (success) reachedSuccess.add(id);
		}
	};
	// Deleted: documents still processing or failed, or processed ones already emitted (a
	// processed document deleted before any poll saw it cannot be emitted by anyone).
	const deleteSome = (count: number) => {
		const candidates = [...alive].filter((id) => !reachedSuccess.has(id) || emitted.has(id));
		for (let i = 0; i < count && candidates.length; i++) {
			const id = pick(candidates);
			v4(sandbox).deleteDocument(workflowId, id);
			alive.delete(id);
			processing.delete(id);
			candidates.splice(candidates.indexOf(id), 1);
		}
	};
	// Reads fail for a while (fewer polls than the trigger's retry budget), once per document.
	const brokenOnce = new Set<string>();
	const breakReads = (count: number) => {
		const candidates = [...alive].filter((id) => !brokenOnce.has(id));
		for (let i = 0; i < count && candidates.length; i++) {
			const id = pick(candidates);
			brokenOnce.add(id);
			behaviour.failingReads.set(id, 1 + Math.floor(random() * 3));
		}
	};

	// Twenty documents exist before activation, some still processing.
	for (let i = 0; i < 20; i++) upload();
	const activatedWith = new Set(reachedSuccess);
	const trigger = await activeTrigger({ workflowId }, credentialsFor(sandbox));
	expect(await trigger.poll()).toEqual({ items: [] });

	const record = (items: Array<{ document_id?: unknown }>) => {
		for (const item of items) emitted.set(String(item.document_id), (emitted.get(String(item.document_id)) ?? 0) + 1);
	};
	for (let poll = 0; poll < POLLS; poll++) {
		const duringWalk = Math.floor(random() * 5);
		for (let i = 0; i < UPLOADS_PER_POLL - duringWalk; i++) upload();
		progress(0.3);
		deleteSome(2);
		breakReads(2);
		let pending = duringWalk;
		behaviour.beforeListPage = (_workflowId, page) => {
			if (page < 2) return;
			for (; pending > 0; pending--) upload();
			if (random() < 0.5) deleteSome(1);
			progress(0.1);
		};
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		record(result.items);
		for (; pending > 0; pending--) upload();
		if (random() < 0.2) trigger.restart();
	}

	// Everything settles: nothing processing, nothing failing; the trigger catches up.
	behaviour.beforeListPage = undefined;
	behaviour.failingReads.clear();
	progress(1);
	for (let i = 0; i < 3; i++) record((await trigger.poll()).items);

	expect(uploaded).toBe(20 + POLLS * UPLOADS_PER_POLL);
	const expected = [...reachedSuccess].filter((id) => !activatedWith.has(id));
	const twice = [...emitted].filter(([, count]) => count > 1);
	const unexpected = [...emitted.keys()].filter((id) => !expected.includes(id));
	const missed = expected.filter((id) => !emitted.has(id));
	expect({ twice, unexpected, missed }).toEqual({ twice: [], unexpected: [], missed: [] });
	expect(expected.length).toBeGreaterThan(600);
	// What the trigger remembers stays small.
	const stateBytes = JSON.stringify(trigger.saved()).length;
	expect(stateBytes).toBeLessThan(20_000);
	const requests = sandbox.requestsTo(`/workflows/${workflowId}/documents`, 'GET');
	const listPages = requests.filter((request) => request.path.endsWith('/documents')).length;
	console.log(
		`soak (${listShape}, seed ${seed}): ${expected.length} emitted once each over ${POLLS + 3} polls, ` +
			`${listPages} list pages and ${requests.length - listPages} document reads, static data ${stateBytes} bytes`,
	);
});
