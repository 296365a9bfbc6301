import type { IDataObject } from 'n8n-workflow';

import type { TriggerEvent } from './events';

/**
 * What the trigger remembers between polls. It lives in the node's static data (saved by n8n
 * with the workflow after a poll that emitted), never in module memory, so a restarted n8n or
 * another main instance goes on where the last one stopped. Every list is bounded.
 */
export interface TriggerState {
	/** The watch this state belongs to; a changed workflow or event starts afresh. */
	workflowId: string;
	event: TriggerEvent;
	/** Every document uploaded before this time (ISO text) has been looked at; '' for none yet. */
	settledBefore: string;
	/** The newest upload time the previous poll saw. */
	previousNewest: string;
	/**
	 * Documents looked at: id -> upload time (ms, 0 when unknown). Every document uploaded at or
	 * after `settledBefore` is here; older ones are forgotten, as no walk reaches them again.
	 */
	seen: Record<string, number>;
	/** Documents to read on each poll until they reach a final status: id -> failed reads so far. */
	pending: Record<string, number>;
	/** Documents a poll is reading in order to emit them: id -> when it claimed them (ms). */
	claims: Record<string, number>;
}

/** Ids remembered as looked at: a burst larger than this since the last poll is not walked again. */
export const SEEN_IDS_KEPT = 2000;
/** Documents followed until final (a workflow may keep documents in review for a long time). */
export const PENDING_IDS_KEPT = 5000;
/** A claim older than this belongs to a poll that died (n8n restarted mid-poll): ignore it. */
export const CLAIM_EXPIRY_MS = 30 * 60_000;

const STATE_KEY = 'nanonets';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numbersOf(value: unknown): Record<string, number> {
	if (!isRecord(value)) return {};
	const result: Record<string, number> = {};
	for (const [id, count] of Object.entries(value)) result[id] = Number(count) || 0;
	return result;
}

/** The saved state, or undefined when this watch has not polled yet (or was changed). */
export function readState(staticData: IDataObject, workflowId: string, event: TriggerEvent): TriggerState | undefined {
	const saved = staticData[STATE_KEY];
	if (!isRecord(saved) || saved.workflowId !== workflowId || saved.event !== event) return undefined;
	if (Array.isArray(saved.known)) {
		// Saved by an earlier version of this node: the newest ids and their time.
		const newest = String(saved.newestUploadedAt ?? '');
		const pending = Array.isArray(saved.pending) ? saved.pending.map(String) : [];
		return {
			workflowId,
			event,
			settledBefore: newest,
			previousNewest: newest,
			// Those ids were the newest: remembered until the boundary passes their time.
			seen: Object.fromEntries(saved.known.map((id) => [String(id), Date.parse(newest) || 0])),
			pending: Object.fromEntries(pending.map((id) => [id, 0])),
			claims: {},
		};
	}
	if (!isRecord(saved.seen)) return undefined;
	return {
		workflowId,
		event,
		settledBefore: String(saved.settledBefore ?? ''),
		previousNewest: String(saved.previousNewest ?? ''),
		seen: numbersOf(saved.seen),
		pending: numbersOf(saved.pending),
		claims: numbersOf(saved.claims),
	};
}

/** What is still needed of `seen`: documents at or after the boundary (or of unknown time), newest first. */
function trimSeen(seen: Record<string, number>, settledBefore: string): Record<string, number> {
	const boundary = Date.parse(settledBefore) || 0;
	const kept = Object.entries(seen)
		.filter(([, time]) => time === 0 || time >= boundary)
		.sort(([, a], [, b]) => b - a)
		.slice(0, SEEN_IDS_KEPT);
	return Object.fromEntries(kept);
}

/** Replaces the saved state in one assignment, trimmed to its bounds. */
export function writeState(staticData: IDataObject, state: TriggerState): void {
	const pendingIds = Object.keys(state.pending);
	const pending =
		pendingIds.length > PENDING_IDS_KEPT
			? Object.fromEntries(pendingIds.slice(-PENDING_IDS_KEPT).map((id) => [id, state.pending[id]]))
			: state.pending;
	staticData[STATE_KEY] = {
		...state,
		seen: trimSeen(state.seen, state.settledBefore),
		pending,
	} as unknown as IDataObject;
}
