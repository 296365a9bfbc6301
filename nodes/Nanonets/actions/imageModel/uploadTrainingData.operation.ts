import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkRequired } from '../../validation';
import { IMAGE_MODEL_ID_FIELD } from '../../transport/endpoints';
import { getModelId, imageModelIdProperties, partialUpload, prepareV2Input, v2FileInputProperties, v2Form, modelItem } from '../v2common';
import { anyObject } from '../../schemas';

export const uploadTrainingData: Operation = {
	description: withDisplay(showFor('imageModel', 'uploadTrainingData'), [
		...imageModelIdProperties(),
		{
			displayName: 'Category',
			name: 'category',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. cat',
			description: 'The model\'s category these images show',
		},
		...v2FileInputProperties,
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		// A form field, not part of a path: names such as "golden retriever" are fine.
		const category = checkRequired(this, this.getNodeParameter('category', itemIndex), 'Category', itemIndex);
		const readInput = await prepareV2Input(this, itemIndex);
		return async (client) => {
			const input = await readInput();
			const endpoint = input.kind === 'file' ? 'uploadImageTrainingFile' : 'uploadImageTrainingUrls';
			const { body: answer, statusCode } = await client.requestWithStatus(endpoint, {
				body: v2Form(endpoint, input, { [IMAGE_MODEL_ID_FIELD]: modelId, category }),
				itemIndex,
			});
			return [{ ...modelItem(client, answer, itemIndex, anyObject), ...partialUpload(statusCode, input) }];
		};
	},
};
