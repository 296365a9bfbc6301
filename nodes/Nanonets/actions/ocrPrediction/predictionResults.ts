import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { NanonetsClient } from '../../transport/request';
import { v2Pages, type V2Page } from '../../results/v2';
import { pollUntil, WaitTimeoutError, type PollSchedule } from '../../waiting';
import { checkAnswer, anyObject } from '../../schemas';
import { secondsText } from '../../validation';

/** A page is finished once it has predictions or a final status. */
function pageFinished(page: V2Page): boolean {
	if (page.boxes.length > 0) return true;
	return /^(success|failure|failed)$/i.test(page.status ?? '');
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
	return v2Pages(answer);
}

/**
 * Polls each request file until all its pages (as many as the upload announced) have their
 * predictions. Files are awaited one after the other; later ones are usually done by then.
 */
export async function waitForPredictions(
	context: IExecuteFunctions,
	client: NanonetsClient,
	modelId: string,
	expectedPages: Map<string, number>,
	schedule: PollSchedule,
	itemIndex: number,
): Promise<V2Page[]> {
	const started = Date.now();
	const pages: V2Page[] = [];
	for (const [requestFileId, expected] of expectedPages) {
		const remaining = schedule.timeout - (Date.now() - started) / 1000;
		try {
			pages.push(
				...(await pollUntil(
					async () => {
						const filePages = await getPredictionFile(client, modelId, requestFileId, itemIndex);
						return filePages.length >= expected && filePages.every(pageFinished) ? filePages : undefined;
					},
					`Prediction ${requestFileId}`,
					{ ...schedule, timeout: Math.max(0.001, remaining) },
					context.getExecutionCancelSignal?.(),
					`ocrPrediction:${modelId}`,
				)),
			);
		} catch (error) {
			if (error instanceof WaitTimeoutError) {
				throw new NodeOperationError(
					context.getNode(),
					`The prediction with request_file_id ${requestFileId} was not finished within ${secondsText(schedule.timeout)} (item ${itemIndex + 1})`,
					{
						itemIndex,
						description: `Nanonets is still working on it. Fetch it later with OCR Prediction > Get by File and Request File ID ${requestFileId}, or raise the Timeout option.`,
					},
				);
			}
			throw error;
		}
	}
	return pages;
}
