import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_FIELD } from '../../transport/endpoints';
import { getModelId, imageModelIdProperties, modelItem, trainNotice, v2Form } from '../v2common';
import { anyObject } from '../../schemas';

export const train: Operation = {
	description: withDisplay(showFor('imageModel', 'train'), [
		...imageModelIdProperties(),
		trainNotice,
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		return async (client) => [
			modelItem(
				client,
				await client.request<unknown>('trainImageModel', { body: v2Form(undefined, { [IMAGE_MODEL_ID_FIELD]: modelId }), itemIndex }),
				itemIndex,
				anyObject,
			),
		];
	},
};
