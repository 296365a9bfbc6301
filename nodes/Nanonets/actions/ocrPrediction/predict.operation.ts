import type { IDataObject } from 'n8n-workflow';

import {
	concurrencyOption,
	getOptions,
	getOutputFormat,
	getPollSchedule,
	noWaitNotice,
	outputFormatProperty,
	showFor,
	waitForCompletionProperty,
	waitOptions,
	withDisplay,
} from '../common';
import type { Operation } from '../types';
import { checkMetadata } from '../../validation';
import { v2Pages, v2PredictionItems } from '../../results/v2';
import { getModelId, modelIdFor, prepareV2Input, v2FileInputProperties, v2Form } from '../v2common';
import { waitForPredictions } from './predictionResults';

export const predict: Operation = {
	description: withDisplay(showFor('ocrPrediction', 'predict'), [
		modelIdFor('OCR'),
		...v2FileInputProperties,
		waitForCompletionProperty('file'),
		{ ...noWaitNotice, displayName: 'Without waiting, the output has the request_file_id of each file. Use OCR Prediction > Get by File later to get the extracted data.' },
		{ ...outputFormatProperty, displayOptions: { show: { waitForCompletion: [true] } } },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				concurrencyOption,
				{
					displayName: 'Metadata',
					name: 'metadata',
					type: 'string',
					default: '',
					description: 'Text or JSON saved with the prediction (Nanonets\' request_metadata) and returned with it',
				},
				...waitOptions,
			],
		},
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const readInput = prepareV2Input(this, itemIndex);
		const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
		const format = wait ? getOutputFormat(this, itemIndex) : 'document';
		const metadata = checkMetadata(this, getOptions(this, itemIndex).metadata, itemIndex);
		const schedule = getPollSchedule(this, itemIndex);

		return async (client) => {
			const input = await readInput();
			// Always asynchronous: large files would otherwise hold the request open for minutes.
			const answer = await client.request(input.kind === 'file' ? 'predictOcrFile' : 'predictOcrUrls', {
				pathParams: { model_id: modelId },
				query: { async: 'true' },
				body: v2Form(input, { request_metadata: metadata }),
				pages: input.pages,
				itemIndex,
			});
			const uploaded = v2Pages(answer);
			const expected = new Map<string, number>();
			for (const page of uploaded) {
				if (page.request_file_id) expected.set(page.request_file_id, (expected.get(page.request_file_id) ?? 0) + 1);
			}
			if (!wait) {
				return [...expected.keys()].map((requestFileId): IDataObject => {
					const first = uploaded.find((page) => page.request_file_id === requestFileId);
					return { request_file_id: requestFileId, input: first?.input ?? null, pages: expected.get(requestFileId) ?? 0, status: 'pending' };
				});
			}
			const pages = await waitForPredictions(this, client, modelId, expected, schedule, itemIndex);
			return v2PredictionItems(pages, format);
		};
	},
};
