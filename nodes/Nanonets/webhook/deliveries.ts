import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { canonicalJson } from './payload';

/**
 * Which document contents already started the workflow, so that a delivery Nanonets repeats
 * starts it once, while a later export of the same file with changed content (after a review)
 * starts it again. Kept in the node's static data, which n8n saves with the workflow; bounded.
 */

/** Contents remembered; the oldest are forgotten first. */
export const DELIVERIES_KEPT = 1000;

const STATE_KEY = 'nanonetsWebhook';

/** Ids longer than this are kept as a digest: a payload's id can be any length. */
const MAX_KEPT_ID_LENGTH = 100;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * A short fingerprint of one document's content as it arrived: id + SHA-256 of its JSON. Its
 * length is bounded whatever the payload holds, so the remembered keys keep the static data small.
 */
export function deliveryKey(id: string, content: unknown): string {
	const keptId = id.length > MAX_KEPT_ID_LENGTH ? `sha256-${sha256(id)}` : id;
	return `${keptId}:${sha256(canonicalJson(content))}`;
}

/**
 * Claims made in this process and not yet saved: n8n builds a new Workflow for each request and
 * saves its static data only once the node has returned, so a copy Nanonets sends while the
 * first is still being read would not see the first one's claim there. Bounded; a claim is kept
 * long enough for n8n to have saved the static data.
 */
const recentClaims = new Map<string, number>();
const RECENT_CLAIMS_KEPT = 5000;
const RECENT_CLAIM_MS = 10 * 60_000;

function claimedRecently(scope: string, key: string, now: number): boolean {
	const at = recentClaims.get(`${scope}|${key}`);
	return at !== undefined && now - at < RECENT_CLAIM_MS;
}

function rememberClaim(scope: string, key: string, now: number): void {
	recentClaims.delete(`${scope}|${key}`);
	recentClaims.set(`${scope}|${key}`, now);
	// A Map iterates in insertion order: the first entries are the oldest.
	for (const oldest of recentClaims.keys()) {
		if (recentClaims.size <= RECENT_CLAIMS_KEPT) break;
		recentClaims.delete(oldest);
	}
}

function remembered(staticData: IDataObject): Record<string, number> {
	const saved = staticData[STATE_KEY];
	const seen = typeof saved === 'object' && saved !== null ? (saved as IDataObject).seen : undefined;
	return typeof seen === 'object' && seen !== null && !Array.isArray(seen) ? { ...(seen as Record<string, number>) } : {};
}

/** This trigger's recent claims: key -> when. */
function recentClaimsOf(scope: string, now: number): Array<[string, number]> {
	const prefix = `${scope}|`;
	const claims: Array<[string, number]> = [];
	for (const [scoped, at] of recentClaims) {
		if (scoped.startsWith(prefix) && now - at < RECENT_CLAIM_MS) claims.push([scoped.slice(prefix.length), at]);
	}
	return claims;
}

/**
 * Claims each key not seen before, in one synchronous step (no await), so that two deliveries
 * handled at the same moment cannot both claim it. `scope` names the trigger (workflow and
 * node). Returns which keys are new.
 *
 * The static data written also holds this trigger's other recent claims (see `keepRecentClaims`).
 */
export function claimNew(staticData: IDataObject, keys: string[], scope: string, now = Date.now()): boolean[] {
	const seen = remembered(staticData);
	const fresh = keys.map((key) => {
		if (seen[key] !== undefined || claimedRecently(scope, key, now)) return false;
		seen[key] = now;
		rememberClaim(scope, key, now);
		return true;
	});
	if (!fresh.some(Boolean)) return fresh;
	save(staticData, seen, scope, now);
	return fresh;
}

/**
 * Adds this trigger's recent claims in this process to the static data a request is about to
 * have saved. n8n loads the static data for each request and saves that request's copy once the
 * node returns, so of two deliveries handled at once the save that lands last would otherwise
 * drop the documents the other claimed, and a repeat of those would start the workflow again.
 * Called when claiming and again just before returning.
 */
export function keepRecentClaims(staticData: IDataObject, scope: string, now = Date.now()): void {
	save(staticData, remembered(staticData), scope, now);
}

function save(staticData: IDataObject, seen: Record<string, number>, scope: string, now: number): void {
	for (const [key, at] of recentClaimsOf(scope, now)) seen[key] = Math.max(seen[key] ?? 0, at);
	const entries = Object.entries(seen);
	const kept = entries.length > DELIVERIES_KEPT ? entries.sort(([, a], [, b]) => b - a).slice(0, DELIVERIES_KEPT) : entries;
	// One assignment: n8n sees the static data changed and saves it.
	staticData[STATE_KEY] = { seen: Object.fromEntries(kept) };
}
