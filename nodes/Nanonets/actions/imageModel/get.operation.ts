import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_FIELD } from '../../transport/endpoints';
import { getModelId, imageModelIdProperties, modelItem } from '../v2common';

export const get: Operation = {
	description: withDisplay(showFor('imageModel', 'get'), imageModelIdProperties()),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		return async (client) => [
			modelItem(client, await client.request<unknown>('getImageModel', { query: { [IMAGE_MODEL_ID_FIELD]: modelId }, itemIndex }), itemIndex),
		];
	},
};
