/** Waiting for Nanonets to finish: polling schedule, timeout and cancellation. */
import type { IDataObject, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { afterAcceptance, cancelledError, operationError } from './errors';
import type { NanonetsClient } from './transport/request';
import { checkAnswer, anyObject, checkDocumentAnswer } from './schemas';
import { isFinal } from './actions/document/documentResults';
import { predictionFilePages, predictionPageFinished } from './actions/ocrPrediction/predictionResults';
import type { V2Page } from './results/v2';
import { secondsText } from './validation';

export class WaitTimeoutError extends Error {
	constructor(
		readonly what: string,
		readonly seconds: number,
	) {
		super(`${what} was not finished after ${seconds} seconds`);
		this.name = 'WaitTimeoutError';
	}
}

/**
 * Resolves after `ms`, or fails with the cancellation error as soon as `signal` aborts (n8n's
 * `sleep` rejects with the signal's reason; the item loop recognises our cancellation error).
 */
export async function pause(ms: number, signal: AbortSignal | undefined, node: INode, itemIndex?: number): Promise<void> {
	let cancelled = signal?.aborted === true;
	if (!cancelled) await sleep(ms, signal).catch(() => (cancelled = true));
	if (cancelled) throw cancelledError(node, itemIndex);
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
	node: INode,
): Promise<T> {
	const started = Date.now();
	const deadline = started + schedule.timeout * 1000;
	const expected = expectedProcessingSeconds(statsKey);
	let checkAt = expected === undefined ? schedule.firstWait : Math.max(MIN_GAP, expected * FIRST_CHECK);
	let lastPending: number | undefined;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw new WaitTimeoutError(what, schedule.timeout);
		await pause(Math.min(Math.max(0, started + checkAt * 1000 - Date.now()), remaining), signal, node);
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

/** Polls Get Document until Nanonets says success or failure; errors name the document. */
export async function waitForDocument(
	client: NanonetsClient,
	workflowId: string,
	documentId: string,
	schedule: PollSchedule,
	itemIndex: number,
	signal: AbortSignal | undefined,
): Promise<IDataObject> {
	const fetchLater = `fetch it with Document > Get and Document ID ${documentId}`;
	try {
		return await pollUntil(
			async () => {
				const document = checkDocumentAnswer(
					client,
					await client.request('getDocument', {
						pathParams: { workflow_id: workflowId, document_id: documentId },
						itemIndex,
					}),
					itemIndex,
				);
				return isFinal(document) ? document : undefined;
			},
			`Document ${documentId}`,
			schedule,
			signal,
			`document:${workflowId}`,
			client.node,
		);
	} catch (error) {
		if (error instanceof WaitTimeoutError) {
			throw operationError(client, {
				message: `Document ${documentId} was not processed within ${secondsText(schedule.timeout)} (item ${itemIndex + 1})`,
				description: `Nanonets is still working on it. Fetch it later with Document > Get and Document ID ${documentId}, or raise the Timeout option.`,
				itemIndex,
			});
		}
		throw afterAcceptance(client, error, `document ${documentId}`, fetchLater);
	}
}

/** Gets one request file's pages (Get Prediction File By File ID). */
export async function getPredictionFile(
	client: NanonetsClient,
	modelId: string,
	requestFileId: string,
	itemIndex: number,
): Promise<V2Page[]> {
	const answer = checkAnswer(
		client,
		anyObject,
		await client.request('getOcrPredictionByFile', {
			pathParams: { model_id: modelId, request_file_id: requestFileId },
			itemIndex,
		}),
		itemIndex,
	);
	return predictionFilePages(answer as IDataObject);
}

/**
 * Polls each request file until all its pages (as many as the upload announced) have their
 * predictions. Files are awaited one after the other; later ones are usually done by then.
 */
export async function waitForPredictions(
	client: NanonetsClient,
	modelId: string,
	expectedPages: Map<string, number>,
	schedule: PollSchedule,
	itemIndex: number,
	signal: AbortSignal | undefined,
): Promise<V2Page[]> {
	const started = Date.now();
	const pages: V2Page[] = [];
	for (const [requestFileId, expected] of expectedPages) {
		const remaining = schedule.timeout - (Date.now() - started) / 1000;
		const fetchLater = `fetch it with OCR Prediction > Get by File and Request File ID ${requestFileId}`;
		try {
			pages.push(
				...(await pollUntil(
					async () => {
						const filePages = await getPredictionFile(client, modelId, requestFileId, itemIndex);
						return filePages.length >= expected && filePages.every(predictionPageFinished) ? filePages : undefined;
					},
					`Prediction ${requestFileId}`,
					{ ...schedule, timeout: Math.max(0.001, remaining) },
					signal,
					`ocrPrediction:${modelId}`,
					client.node,
				)),
			);
		} catch (error) {
			if (error instanceof WaitTimeoutError) {
				throw operationError(client, {
					message: `The prediction with request_file_id ${requestFileId} was not finished within ${secondsText(schedule.timeout)} (item ${itemIndex + 1})`,
					description: `Nanonets is still working on it. Fetch it later with OCR Prediction > Get by File and Request File ID ${requestFileId}, or raise the Timeout option.`,
					itemIndex,
				});
			}
			throw afterAcceptance(client, error, `the file with request_file_id ${requestFileId}`, fetchLater);
		}
	}
	return pages;
}
