import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_FIELD, IMAGE_TRAIN_MODEL_ID_IN } from '../../transport/endpoints';
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
				await client.request<unknown>('trainImageModel', {
					query: IMAGE_TRAIN_MODEL_ID_IN.query ? { [IMAGE_MODEL_ID_FIELD]: modelId } : undefined,
					body: v2Form('trainImageModel', undefined, IMAGE_TRAIN_MODEL_ID_IN.body ? { [IMAGE_MODEL_ID_FIELD]: modelId } : {}),
					itemIndex,
				}),
				itemIndex,
				anyObject,
			),
		];
	},
};
