import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { checkAnswer } from '../schemas';
import type { NanonetsClient } from './request';

/**
 * Walking a v4 workflow's document list, newest first: the one way Get Many, the trigger and
 * anything else read it.
 *
 * What Nanonets publishes does not agree with itself, so the walk assumes little:
 * - the answer is `{ documents, total_count, page_no, page_size }` (the v4 reference) or a bare
 *   array of documents (how Nanonets' Go SDK decodes it); both are read here and only here;
 * - the server may not honour the page size asked for (the reference's example answers
 *   `page_size: 50` to a request for 10): a page is "full" when it is as long as the longest
 *   page seen so far, and the walk goes on while `total_count` or a full page says there is more;
 * - an empty page ends the walk;
 * - the list moves while it is walked (uploads push documents down a page): an id seen earlier
 *   in the walk is dropped.
 */

/** Nanonets' largest page. */
export const MAX_DOCUMENT_PAGE_SIZE = 100;
/** A stop for a list that never ends. */
const MAX_PAGES = 10_000;

const listEntry = z.object({ document_id: z.union([z.string().min(1), z.number()]) }).passthrough();

/** The Go SDK's shape: a bare array of documents. */
const documentArrayAnswer = z.array(listEntry);
/** The v4 reference's shape. */
const documentListAnswer = z
	.object({
		documents: documentArrayAnswer.nullable(),
		total_count: z.number().optional(),
	})
	.passthrough();

export interface DocumentPage {
	/** The page number asked for, from 1. */
	number: number;
	/** Entries not seen earlier in this walk, in list order (newest first). */
	documents: IDataObject[];
	/** How many entries the server sent, repeated ones included. */
	received: number;
	/** The server's count of all documents when this page was answered, if it says. */
	totalCount?: number;
}

export interface DocumentWalk {
	/** Asked for on every page (constant through a walk: pages are counted in it). */
	pageSize?: number;
	maxPages?: number;
	itemIndex?: number;
}

/** One page as asked; the answer read in whichever published shape it came. */
async function documentPage(
	client: NanonetsClient,
	workflowId: string,
	page: number,
	pageSize: number,
	itemIndex: number,
): Promise<{ entries: IDataObject[]; totalCount?: number }> {
	const body = await client.request<unknown>('listDocuments', {
		pathParams: { workflow_id: workflowId },
		query: { page, limit: pageSize },
		itemIndex,
	});
	// Each shape checked on its own, so that a mismatch names the path that is wrong.
	if (Array.isArray(body)) return { entries: checkAnswer(client, documentArrayAnswer, body, itemIndex) as IDataObject[] };
	const answer = checkAnswer(client, documentListAnswer, body, itemIndex);
	return { entries: (answer.documents ?? []) as IDataObject[], totalCount: answer.total_count };
}

/** The workflow's documents page by page, newest first; stop early by leaving the loop. */
export async function* documentPages(
	client: NanonetsClient,
	workflowId: string,
	{ pageSize = MAX_DOCUMENT_PAGE_SIZE, maxPages = MAX_PAGES, itemIndex = 0 }: DocumentWalk = {},
): AsyncGenerator<DocumentPage> {
	const seen = new Set<string>();
	let receivedSoFar = 0;
	let fullPage = 0;
	for (let number = 1; number <= maxPages; number++) {
		const { entries, totalCount } = await documentPage(client, workflowId, number, pageSize, itemIndex);
		if (entries.length === 0) return;
		receivedSoFar += entries.length;
		fullPage = Math.max(fullPage, entries.length);
		const documents = entries.filter((entry) => {
			const id = String(entry.document_id);
			if (seen.has(id)) return false;
			seen.add(id);
			return true;
		});
		yield { number, documents, received: entries.length, totalCount };
		const totalSaysMore = totalCount !== undefined && receivedSoFar < totalCount;
		if (!totalSaysMore && entries.length < fullPage) return;
	}
}

/** The id of a list entry or document, as text. */
export function documentIdOf(document: IDataObject): string {
	return String(document.document_id);
}
