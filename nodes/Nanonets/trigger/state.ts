import type { IDataObject } from 'n8n-workflow';

import type { TriggerEvent } from './events';

/**
 * What the trigger remembers between polls. It lives in the node's static data (saved with the
 * workflow), never in module memory, so any worker of an n8n queue-mode setup can run the next
 * poll.
 */
export interface TriggerState {
	/** The watch this state belongs to; a changed workflow or event starts afresh. */
	workflowId: string;
	event: TriggerEvent;
	/** IDs of the newest documents seen by the last poll: where the next scan may stop. */
	known: string[];
	/** `uploaded_at` of the newest document seen so far (ISO text), or '' for an empty workflow. */
	newestUploadedAt: string;
	/** Documents seen while still processing: emitted once they reach the event's status. */
	pending: string[];
}

/** How many of the newest IDs mark the boundary; one list page's worth. */
export const KNOWN_IDS_KEPT = 100;
/** A stop for a workflow that keeps documents pending forever (never reviewed, say). */
export const PENDING_IDS_KEPT = 1000;

/** The saved state, or undefined when this watch has not polled yet (or was changed). */
export function readState(staticData: IDataObject, workflowId: string, event: TriggerEvent): TriggerState | undefined {
	const saved = staticData.nanonets as Partial<TriggerState> | undefined;
	if (!saved || saved.workflowId !== workflowId || saved.event !== event || !Array.isArray(saved.known)) {
		return undefined;
	}
	return {
		workflowId,
		event,
		known: saved.known.map(String),
		newestUploadedAt: String(saved.newestUploadedAt ?? ''),
		pending: Array.isArray(saved.pending) ? saved.pending.map(String) : [],
	};
}

/** Replaces the saved state in one assignment, so a failed poll leaves the old one intact. */
export function writeState(staticData: IDataObject, state: TriggerState): void {
	staticData.nanonets = {
		...state,
		known: state.known.slice(0, KNOWN_IDS_KEPT),
		pending: state.pending.slice(-PENDING_IDS_KEPT),
	} as unknown as IDataObject;
}
