import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_QUERY_NAMES } from '../../transport/endpoints';
import { getModelId, imageModelIdProperties, modelItem } from '../v2common';

export const get: Operation = {
	description: withDisplay(showFor('imageModel', 'get'), imageModelIdProperties()),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		// The same id under each published name.
		const query = Object.fromEntries(IMAGE_MODEL_ID_QUERY_NAMES.map((name) => [name, modelId]));
		return async (client) => [modelItem(client, await client.request<unknown>('getImageModel', { query, itemIndex }), itemIndex)];
	},
};
