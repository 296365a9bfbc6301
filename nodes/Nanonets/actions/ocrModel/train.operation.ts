import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { getModelId, modelIdFor, modelItem, trainNotice } from '../v2common';
import { anyObject } from '../../schemas';

export const train: Operation = {
	description: withDisplay(showFor('ocrModel', 'train'), [
		modelIdFor('OCR'),
		trainNotice,
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		return async (client) => [
			modelItem(client, await client.request<unknown>('trainOcrModel', { pathParams: { model_id: modelId }, itemIndex }), itemIndex, anyObject),
		];
	},
};
