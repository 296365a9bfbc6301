import type { IDataObject } from 'n8n-workflow';

import { returnAllProperties, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, MAX_LIST_LIMIT } from '../../validation';
import { checkAnswer, modelListAnswer } from '../../schemas';
import { withModelState } from '../v2common';

export const getAll: Operation = {
	description: withDisplay(showFor('imageModel', 'getAll'), returnAllProperties()),

	async prepare(itemIndex) {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: checkNumberRange(this, this.getNodeParameter('limit', itemIndex, 50) as number, 'Limit', 1, MAX_LIST_LIMIT, itemIndex);
		return async (client) => {
			// The API answers with a plain list, all models at once.
			const answer = checkAnswer(client, modelListAnswer, await client.request<unknown>('listImageModels', { itemIndex }), itemIndex);
			const models = (Array.isArray(answer) ? answer : answer.models) as IDataObject[];
			return models.slice(0, limit).map(withModelState);
		};
	},
};
