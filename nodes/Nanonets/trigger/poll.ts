import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { documentItems } from '../actions/document/documentResults';
import type { OutputFormat } from '../results/formats';
import { checkAnswer, checkDocumentAnswer, documentListAnswer } from '../schemas';
import type { NanonetsClient } from '../transport/request';
import { FINAL_STATUSES, targetStatus, type TriggerEvent } from './events';
import { KNOWN_IDS_KEPT, readState, writeState, type TriggerState } from './state';

/** Nanonets' largest list page. */
const PAGE_SIZE = 100;
/** A stop for one poll: 10,000 documents uploaded since the last poll. */
const MAX_SCAN_PAGES = 100;
/** How far back a manual test run looks for a matching document. */
const MANUAL_SCAN_PAGES = 5;

export interface Watch {
	client: NanonetsClient;
	workflowId: string;
	event: TriggerEvent;
	format: OutputFormat;
}

interface Listed {
	id: string;
	status: string;
	uploadedAt: string;
}

function listed(document: IDataObject): Listed {
	return {
		id: String(document.document_id),
		status: String(document.status ?? ''),
		uploadedAt: typeof document.uploaded_at === 'string' ? document.uploaded_at : '',
	};
}

/** One page of the workflow's documents, newest first. */
async function listPage(watch: Watch, page: number): Promise<Listed[]> {
	const answer = checkAnswer(
		watch.client,
		documentListAnswer,
		await watch.client.request('listDocuments', {
			pathParams: { workflow_id: watch.workflowId },
			query: { page, limit: PAGE_SIZE },
		}),
		0,
	);
	return ((answer.documents ?? []) as IDataObject[]).map(listed);
}

/** The whole document with its extracted data; undefined when it was deleted meanwhile. */
async function fetchDocument(watch: Watch, documentId: string): Promise<IDataObject | undefined> {
	try {
		return checkDocumentAnswer(
			watch.client,
			await watch.client.request('getDocument', {
				pathParams: { workflow_id: watch.workflowId, document_id: documentId },
			}),
			0,
		);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
		throw error;
	}
}

function isOlder(document: Listed, newestUploadedAt: string): boolean {
	if (!document.uploadedAt || !newestUploadedAt) return false;
	return Date.parse(document.uploadedAt) < Date.parse(newestUploadedAt);
}

/**
 * Documents uploaded since the last poll, newest first: list pages are followed until a document
 * the last poll already saw (or an older one) shows up. Without a last poll, the first page.
 */
async function scanNewDocuments(watch: Watch, previous: TriggerState | undefined): Promise<Listed[]> {
	const known = new Set(previous?.known ?? []);
	const found: Listed[] = [];
	for (let page = 1; page <= MAX_SCAN_PAGES; page++) {
		const batch = await listPage(watch, page);
		for (const document of batch) {
			if (previous && (known.has(document.id) || isOlder(document, previous.newestUploadedAt))) return found;
			found.push(document);
		}
		if (!previous || batch.length < PAGE_SIZE) break;
	}
	return found;
}

/** The next state: the newest IDs as the boundary, and what is still processing. */
function nextState(watch: Watch, previous: TriggerState | undefined, fresh: Listed[], pending: string[]): TriggerState {
	const known = [...fresh.map((document) => document.id), ...(previous?.known ?? [])].slice(0, KNOWN_IDS_KEPT);
	return {
		workflowId: watch.workflowId,
		event: watch.event,
		known,
		newestUploadedAt: fresh[0]?.uploadedAt || previous?.newestUploadedAt || '',
		pending,
	};
}

/**
 * One poll of an active workflow. The first poll only records what exists (a trigger must not
 * replay a workflow's history); later polls return each document that reached the event's
 * status since, once, fetched in full, oldest first.
 */
export async function pollForDocuments(this: IPollFunctions, watch: Watch): Promise<IDataObject[]> {
	const staticData = this.getWorkflowStaticData('node');
	const previous = readState(staticData, watch.workflowId, watch.event);
	const target = targetStatus[watch.event];

	const fresh = await scanNewDocuments(watch, previous);
	const freshById = new Map(fresh.map((document) => [document.id, document]));
	const ready: Array<{ id: string; document?: IDataObject }> = [];
	const stillPending: string[] = [];

	// Documents that were processing last time lie behind the scan's boundary: ask for each.
	for (const id of previous?.pending ?? []) {
		if (freshById.has(id)) continue;
		const document = await fetchDocument(watch, id);
		if (!document) continue; // deleted meanwhile
		const status = String(document.status ?? '');
		if (status === target) ready.push({ id, document });
		else if (!FINAL_STATUSES.includes(status)) stillPending.push(id);
	}
	// New documents, oldest first so the output reads in upload order.
	for (const document of [...fresh].reverse()) {
		if (previous && document.status === target) ready.push({ id: document.id });
		else if (!FINAL_STATUSES.includes(document.status)) stillPending.push(document.id);
	}

	// List entries carry no extracted data: each document is fetched in full before it is emitted.
	const documents: IDataObject[] = [];
	for (const entry of ready) {
		const document = entry.document ?? (await fetchDocument(watch, entry.id));
		if (document) documents.push(document);
	}
	// Written last: a poll that fails half-way leaves the state as it was and is simply repeated.
	writeState(staticData, nextState(watch, previous, fresh, stillPending));
	return documents;
}

/** A manual test run: the newest document with the event's status, without touching the state. */
export async function newestMatchingDocument(this: IPollFunctions, watch: Watch): Promise<IDataObject> {
	const target = targetStatus[watch.event];
	for (let page = 1; page <= MANUAL_SCAN_PAGES; page++) {
		const batch = await listPage(watch, page);
		const match = batch.find((document) => document.status === target);
		if (match) {
			const document = await fetchDocument(watch, match.id);
			if (document) return document;
		}
		if (batch.length < PAGE_SIZE) break;
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
