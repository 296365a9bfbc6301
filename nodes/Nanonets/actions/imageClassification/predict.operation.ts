import { concurrencyOption, keepBinaryOption, optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_FIELD } from '../../transport/endpoints';
import { classificationItems } from '../../results/v2';
import { checkAnswer, resultListAnswer } from '../../schemas';
import {
	getModelId,
	inputNames,
	imageModelIdProperties,
	prepareV2Input,
	v2FileInputProperties,
	v2Form,
} from '../v2common';

export const predict: Operation = {
	description: withDisplay(showFor('imageClassification', 'predict'), [
		...imageModelIdProperties(),
		...v2FileInputProperties,
		optionsProperty([concurrencyOption, keepBinaryOption]),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const readInput = await prepareV2Input(this, itemIndex);
		return async (client) => {
			const input = await readInput();
			const endpoint = input.kind === 'file' ? 'predictImageFile' : 'predictImageUrls';
			const answer = await client.request<unknown>(endpoint, {
				body: v2Form(endpoint, input, { [IMAGE_MODEL_ID_FIELD]: modelId }),
				pages: input.pages,
				itemIndex,
			});
			return classificationItems(checkAnswer(client, resultListAnswer, answer, itemIndex), inputNames(input));
		};
	},
};
