import type { IDataObject } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import {
	concurrencyOption,
	keepBinaryOption,
	getOptions,
	getOutputFormat,
	getPollSchedule,
	metadataOption,
	noWaitNotice,
	optionsProperty,
	outputFormatProperties,
	shapeOptions,
	getShapeOptions,
	showFor,
	waitForCompletionProperty,
	waitOptions,
	withDisplay,
} from '../common';
import type { Operation } from '../types';
import { checkMetadata } from '../../validation';
import { failedV2Inputs, v2Pages, v2PredictionItems, type V2InputFailure } from '../../results/v2';
import type { NanonetsClient } from '../../transport/request';
import {
	getModelId,
	inputNames,
	modelIdFor,
	prepareV2Input,
	v2FileInputProperties,
	v2Form,
} from '../v2common';
import { waitForPredictions } from '../../waiting';
import { apiError } from '../../errors';

export const predict: Operation = {
	description: withDisplay(showFor('ocrPrediction', 'predict'), [
		modelIdFor('OCR'),
		...v2FileInputProperties,
		waitForCompletionProperty('file'),
		{ ...noWaitNotice, displayName: 'Without waiting, the output has the request_file_id of each file. Use OCR Prediction > Get by File later to get the extracted data.' },
		...outputFormatProperties({ waitForCompletion: [true] }),
		optionsProperty([
			concurrencyOption,
			metadataOption('Text or JSON saved with the prediction (Nanonets\' request_metadata) and returned with it'),
			...waitOptions,
			...shapeOptions,
			keepBinaryOption,
		]),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const readInput = await prepareV2Input(this, itemIndex);
		const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
		const format = wait ? getOutputFormat(this, itemIndex) : 'document';
		const metadata = checkMetadata(this, getOptions(this, itemIndex).metadata, itemIndex);
		const schedule = getPollSchedule(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);

		return async (client) => {
			const input = await readInput();
			// Always asynchronous: large files would otherwise hold the request open for minutes.
			const endpoint = input.kind === 'file' ? 'predictOcrFile' : 'predictOcrUrls';
			const answer = await client.request<unknown>(endpoint, {
				pathParams: { model_id: modelId },
				query: { async: 'true' },
				body: v2Form(endpoint, input, { request_metadata: metadata }),
				pages: input.pages,
				itemIndex,
			});
			const uploaded = v2Pages(answer);
			const expected = new Map<string, number>();
			for (const page of uploaded) {
				if (page.request_file_id) expected.set(page.request_file_id, (expected.get(page.request_file_id) ?? 0) + 1);
			}
			// 202: some URLs could not be downloaded. The others go on; the failed ones are named.
			const failed = input.kind === 'urls' ? failedV2Inputs(answer, uploaded, input.urls) : [];
			if (expected.size === 0) throw nothingProcessed(client, inputNames(input), failed, itemIndex);
			const failures = failed.map((failure): IDataObject => ({ request_file_id: null, input: failure.input, status: 'failure', message: failure.message }));
			if (!wait) {
				const pending = [...expected.keys()].map((requestFileId): IDataObject => {
					const first = uploaded.find((page) => page.request_file_id === requestFileId);
					return { request_file_id: requestFileId, input: first?.input ?? null, pages: expected.get(requestFileId) ?? 0, status: 'pending' };
				});
				return [...pending, ...failures];
			}
			const pages = await waitForPredictions(client, modelId, expected, schedule, itemIndex, this.getExecutionCancelSignal?.());
			return [...v2PredictionItems(pages, format, shape), ...failures];
		};
	},
};

/** No input became a prediction: every URL failed, or the answer had no request_file_id. */
function nothingProcessed(client: NanonetsClient, inputs: string[], failed: V2InputFailure[], itemIndex: number): NodeApiError {
	return apiError(client, failed.length
		? {
			message: 'Nanonets could not process any of the inputs',
			quote: failed.map((f) => `${f.input} (${f.message})`).join('; '),
			description: 'Check that the URLs are public and point to PDF or image files.',
			itemIndex,
		}
		: {
			message: 'Unexpected response from Nanonets',
			quote: `no request_file_id for ${inputs.length === 1 ? `"${inputs[0]}"` : `any of the ${inputs.length} inputs`}`,
			description: 'Nanonets accepted the request but did not say which prediction to follow.',
			itemIndex,
		});
}
