import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { getModelId, modelIdFor, modelItem } from '../v2common';

export const get: Operation = {
	description: withDisplay(showFor('ocrModel', 'get'), [modelIdFor('OCR')]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		return async (client) => [
			modelItem(client, await client.request<unknown>('getOcrModel', { pathParams: { model_id: modelId }, itemIndex }), itemIndex),
		];
	},
};
