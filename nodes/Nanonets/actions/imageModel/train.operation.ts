import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { IMAGE_MODEL_ID_FIELD } from '../../transport/endpoints';
import { getModelId, modelIdFor, modelItem, v2Form } from '../v2common';
import { anyObject } from '../../schemas';

export const train: Operation = {
	description: withDisplay(showFor('imageModel', 'train'), [
		modelIdFor('image classification'),
		{
			displayName: 'Training runs at Nanonets and takes a while. Use Get to follow the model\'s state; it can be used once the state is 5 (ready).',
			name: 'trainNotice',
			type: 'notice',
			default: '',
		},
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
