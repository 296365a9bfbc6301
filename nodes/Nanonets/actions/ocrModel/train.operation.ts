import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { getModelId, modelIdFor, modelItem } from '../v2common';
import { anyObject } from '../../schemas';

export const train: Operation = {
	description: withDisplay(showFor('ocrModel', 'train'), [
		modelIdFor('OCR'),
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
			modelItem(client, await client.request<unknown>('trainOcrModel', { pathParams: { model_id: modelId }, itemIndex }), itemIndex, anyObject),
		];
	},
};
