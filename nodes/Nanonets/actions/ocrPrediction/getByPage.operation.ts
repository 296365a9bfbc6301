import { getOutputFormat, getShapeOptions, optionsProperty, outputFormatProperties, shapeOptions, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { v2Pages, v2PredictionItems } from '../../results/v2';
import { anyObject, checkAnswer } from '../../schemas';
import { getModelId, modelIdFor } from '../v2common';

export const getByPage: Operation = {
	description: withDisplay(showFor('ocrPrediction', 'getByPage'), [
		modelIdFor('OCR'),
		{
			displayName: 'Page ID',
			name: 'pageId',
			type: 'string',
			required: true,
			default: '',
			description: 'The ID of one predicted page (a page\'s ID in a prediction\'s output)',
		},
		...outputFormatProperties(),
		optionsProperty(shapeOptions),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const pageId = checkId(this, this.getNodeParameter('pageId', itemIndex), 'Page ID', itemIndex);
		const format = getOutputFormat(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		return async (client) => {
			const answer = checkAnswer(
				client,
				anyObject,
				await client.request('getOcrPredictionByPage', { pathParams: { model_id: modelId, page_id: pageId }, itemIndex }),
				itemIndex,
			);
			// Both published examples of this answer give only `input`, `message` and `prediction`:
			// the page's id is the one asked for.
			return v2PredictionItems(v2Pages(answer).map((page) => ({ ...page, page_id: page.page_id ?? pageId })), format, shape);
		};
	},
};
