import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { documentItems } from '../actions/document/documentResults';
import type { OutputFormat } from '../results/formats';
import { checkDocumentAnswer } from '../schemas';
import { documentIdOf, documentPages } from '../transport/documentList';
import type { NanonetsClient } from '../transport/request';
import { FINAL_STATUSES, targetStatus, type TriggerEvent } from './events';
import { CLAIM_EXPIRY_MS, readState, SEEN_IDS_KEPT, writeState, type TriggerState } from './state';

/** A stop for one poll: 10,000 documents uploaded since the last poll. */
const MAX_SCAN_PAGES = 100;
/** How far back activation looks for documents still processing. */
const ACTIVATION_SCAN_PAGES = 20;
/** How far back a manual test run looks for a matching document. */
const MANUAL_SCAN_PAGES = 5;
/** Document reads in flight at once during a poll. */
const READ_CONCURRENCY = 5;
/** Polls in a row a document's read may fail before the trigger gives up on it. */
export const MAX_READ_TRIES = 5;

export interface Watch {
	client: NanonetsClient;
	workflowId: string;
	event: TriggerEvent;
	format: OutputFormat;
}

function statusOf(document: IDataObject): string {
	return String(document.status ?? '').toLowerCase();
}

/** Upload time in ms, or NaN when the entry has none. */
function uploadedAt(document: IDataObject): number {
	return typeof document.uploaded_at === 'string' ? Date.parse(document.uploaded_at) : NaN;
}

/** Strictly older: documents uploaded at the same time as the boundary are checked by id. */
function isBefore(document: IDataObject, boundary: string): boolean {
	const time = uploadedAt(document);
	return boundary !== '' && !Number.isNaN(time) && time < Date.parse(boundary);
}

function later(a: string, b: string): string {
	if (!a) return b;
	if (!b) return a;
	return Date.parse(a) >= Date.parse(b) ? a : b;
}

interface Walk {
	/** Entries not looked at before, in list order. */
	fresh: IDataObject[];
	/** The newest upload time listed ('' for an empty list). */
	newest: string;
	/** Where `settledBefore` may move: every document uploaded before it has now been looked at. */
	settledBefore: string;
}

/**
 * Walks the list down to what earlier polls settled. Page requests are not one snapshot: an
 * upload between two of them repeats entries (dropped by the walker), a delete above moves an
 * entry from the next page onto one already read, unseen. So the boundary only moves to the top
 * when the walk is proven whole (one page, or `total_count` never fell between pages); otherwise
 * the next poll walks the same stretch again and finds, by id, what this one missed.
 */
async function walkNewDocuments(this: IPollFunctions, watch: Watch, state: TriggerState): Promise<Walk> {
	const seen = new Set(Object.keys(state.seen));
	const fresh: IDataObject[] = [];
	let newest = '';
	let pages = 0;
	let listed = 0;
	let countsKnown = true;
	let countFell = false;
	/** Where the first fall of `total_count` was seen: the newest upload time on that page. */
	let fellAt = '';
	let lastCount: number | undefined;
	let reachedSettled = false;
	let listEnded = true;

	for await (const page of documentPages(watch.client, watch.workflowId, { maxPages: MAX_SCAN_PAGES })) {
		pages++;
		if (page.totalCount === undefined) countsKnown = false;
		else if (lastCount !== undefined && page.totalCount < lastCount && !countFell) {
			countFell = true;
			const first = page.documents[0];
			fellAt = typeof first?.uploaded_at === 'string' ? first.uploaded_at : '';
		}
		lastCount = page.totalCount;
		for (const document of page.documents) {
			if (typeof document.uploaded_at === 'string') newest = later(newest, document.uploaded_at);
			if (isBefore(document, state.settledBefore)) {
				reachedSettled = true;
				continue;
			}
			listed++;
			if (!seen.has(documentIdOf(document))) fresh.push(document);
		}
		if (reachedSettled) break;
		// Without upload times only ids can tell where the new documents end.
		const untimedAndKnown = page.documents.every(
			(document) => typeof document.uploaded_at !== 'string' && seen.has(documentIdOf(document)),
		);
		if (page.documents.length > 0 && untimedAndKnown) break;
		if (page.number === MAX_SCAN_PAGES) listEnded = false;
	}

	const top = later(state.settledBefore, newest);
	let settledBefore: string;
	if (!reachedSettled && !listEnded) {
		this.logger.warn(
			`Nanonets Trigger: more than ${MAX_SCAN_PAGES} list pages of documents arrived since the last poll of workflow ${watch.workflowId}; older ones were not looked at`,
		);
		settledBefore = top;
	} else if (pages <= 1 || (countsKnown && !countFell) || listed > SEEN_IDS_KEPT / 2) {
		settledBefore = top;
	} else if (countsKnown) {
		// The list shrank between two page requests: what moved up unseen was uploaded at or after
		// the first entry of the page asked after the shrink. The pages above it were whole.
		settledBefore = later(state.settledBefore, fellAt);
	} else {
		// A bare list says nothing about deletes: every stretch is walked by two polls.
		settledBefore = later(state.settledBefore, state.previousNewest);
	}
	return { fresh, newest: top, settledBefore };
}

type ReadResult =
	| { id: string; document: IDataObject }
	| { id: string; gone: true }
	| { id: string; error: Error; documentFault: boolean };

/**
 * The whole document with its extracted data. An active trigger tries it once per poll (the
 * next poll is its retry, and one slow document must not hold up the others); a test run retries.
 */
async function readDocument(watch: Watch, id: string, retryFailures = false): Promise<ReadResult> {
	try {
		const answer = await watch.client.request('getDocument', {
			pathParams: { workflow_id: watch.workflowId, document_id: id },
			retryFailures,
		});
		return { id, document: checkDocumentAnswer(watch.client, answer, 0) };
	} catch (error) {
		const httpCode = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
		if (httpCode === 404) return { id, gone: true };
		// A 5xx, no answer, or an answer of the wrong shape belongs to this document; a refused
		// credential (401, 403) or a 429 concerns every document, and fails the poll.
		const documentFault = !(httpCode >= 400 && httpCode < 500);
		return { id, error: error as Error, documentFault };
	}
}

async function readAll(watch: Watch, ids: string[]): Promise<ReadResult[]> {
	const results: ReadResult[] = [];
	let next = 0;
	const worker = async () => {
		while (next < ids.length) results.push(await readDocument(watch, ids[next++]));
	};
	await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
	return results;
}

/**
 * The first poll after activation records what exists, emitting nothing (a trigger must not
 * replay a workflow's history), and follows every document still processing.
 */
async function activate(this: IPollFunctions, watch: Watch, staticData: IDataObject): Promise<void> {
	const seen: Record<string, number> = {};
	const pending: Record<string, number> = {};
	let newest = '';
	for await (const page of documentPages(watch.client, watch.workflowId, { maxPages: ACTIVATION_SCAN_PAGES })) {
		for (const document of page.documents) {
			if (typeof document.uploaded_at === 'string') newest = later(newest, document.uploaded_at);
			// Documents uploaded in the same instant as the newest are told apart by id.
			seen[documentIdOf(document)] = uploadedAt(document) || 0;
			if (!FINAL_STATUSES.includes(statusOf(document))) pending[documentIdOf(document)] = 0;
		}
	}
	writeState(staticData, {
		workflowId: watch.workflowId,
		event: watch.event,
		settledBefore: newest,
		previousNewest: newest,
		seen,
		pending,
		claims: {},
	});
}

/**
 * One poll of an active workflow: each document that reached the event's status since the
 * last poll, once, fetched in full, oldest first.
 *
 * Overlapping polls (n8n starts the next one without waiting) must not emit a document twice:
 * a poll claims what it is about to read in the node's static data, synchronously, before it
 * sends anything. n8n's poller keeps one Workflow object per active workflow, so an overlapping
 * poll sees the claim at once; another process sees it once n8n saved the static data.
 */
export async function pollForDocuments(this: IPollFunctions, watch: Watch): Promise<IDataObject[]> {
	const staticData = this.getWorkflowStaticData('node');
	const before = readState(staticData, watch.workflowId, watch.event);
	if (!before) {
		await activate.call(this, watch, staticData);
		return [];
	}
	const target = targetStatus[watch.event];
	const walk = await walkNewDocuments.call(this, watch, before);

	// From here to the reads nothing awaits: reading the state and claiming is one step.
	const now = Date.now();
	const state = readState(staticData, watch.workflowId, watch.event) ?? before;
	for (const document of walk.fresh) {
		const id = documentIdOf(document);
		if (state.seen[id] !== undefined) continue; // another poll looked at it meanwhile
		state.seen[id] = uploadedAt(document) || 0;
		const status = statusOf(document);
		// Not final yet, or listed with the event's status: read it (the list may lag behind).
		if (status === target || !FINAL_STATUSES.includes(status)) state.pending[id] ??= 0;
	}
	state.settledBefore = later(state.settledBefore, walk.settledBefore);
	state.previousNewest = later(state.previousNewest, walk.newest);
	for (const [id, claimedAt] of Object.entries(state.claims)) {
		if (now - claimedAt > CLAIM_EXPIRY_MS) delete state.claims[id];
	}
	const toRead = Object.keys(state.pending).filter((id) => state.claims[id] === undefined);
	for (const id of toRead) state.claims[id] = now;
	writeState(staticData, state);

	const results = await readAll(watch, toRead);
	const documents = settle.call(this, watch, target, results);
	// Oldest first, so the output reads in upload order; documents uploaded in the same instant
	// in reverse list order (pending ids are kept in the order they were listed, newest first).
	const listPosition = new Map(toRead.map((id, index) => [id, index]));
	const position = (document: IDataObject) => listPosition.get(documentIdOf(document)) ?? 0;
	return documents.sort((a, b) => (uploadedAt(a) || 0) - (uploadedAt(b) || 0) || position(b) - position(a));
}

/** Applies what the reads found to the state as it is now (another poll may have changed it). */
function settle(this: IPollFunctions, watch: Watch, target: string, results: ReadResult[]): IDataObject[] {
	const staticData = this.getWorkflowStaticData('node');
	const state = readState(staticData, watch.workflowId, watch.event);
	if (!state) return [];
	for (const result of results) delete state.claims[result.id];

	const fatal = results.find((result) => 'error' in result && !result.documentFault);
	if (fatal && 'error' in fatal) {
		// Nothing is emitted: every document read stays pending, untouched, for the next poll.
		writeState(staticData, state);
		throw fatal.error;
	}

	// When every read failed, Nanonets is failing, not these documents: do not count it against them.
	const failures = results.filter((result) => 'error' in result);
	const outage = failures.length > 1 && failures.length === results.length;
	const documents: IDataObject[] = [];
	for (const result of results) {
		const { id } = result;
		if (state.pending[id] === undefined) continue; // settled by another poll meanwhile
		if ('gone' in result) {
			delete state.pending[id]; // deleted in Nanonets
		} else if ('error' in result) {
			const tries = state.pending[id] + (outage ? 0 : 1);
			if (tries >= MAX_READ_TRIES) {
				delete state.pending[id];
				this.logger.warn(
					`Nanonets Trigger: gave up on document ${id} of workflow ${watch.workflowId} after ${tries} failed reads: ${result.error.message}`,
				);
			} else {
				state.pending[id] = tries;
			}
		} else {
			const status = statusOf(result.document);
			if (status === target) {
				delete state.pending[id];
				documents.push(result.document);
			} else if (FINAL_STATUSES.includes(status)) {
				delete state.pending[id]; // finished in the other status: not this event
			}
		}
	}
	writeState(staticData, state);
	return documents;
}

/** A manual test run: the newest document with the event's status, without touching the state. */
export async function newestMatchingDocument(this: IPollFunctions, watch: Watch): Promise<IDataObject> {
	const target = targetStatus[watch.event];
	for await (const page of documentPages(watch.client, watch.workflowId, { maxPages: MANUAL_SCAN_PAGES })) {
		for (const entry of page.documents.filter((document) => statusOf(document) === target)) {
			const result = await readDocument(watch, documentIdOf(entry), true);
			if ('error' in result) throw result.error;
			if ('document' in result && statusOf(result.document) === target) return result.document;
		}
	}
	throw new NodeOperationError(
		this.getNode(),
		`No document with status "${target}" found in workflow ${watch.workflowId}`,
		{
			description:
				watch.event === 'documentProcessed'
					? 'Upload a document to the workflow (for example with the Nanonets node) and test again once it is processed.'
					: 'No document of this workflow has failed yet, so there is no example to show.',
		},
	);
}

/** The items one poll returns, in the chosen output format. */
export function itemsOf(documents: IDataObject[], format: OutputFormat): IDataObject[] {
	return documents.flatMap((document) => documentItems(document, format));
}
