import { returnAllProperties, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, MAX_LIST_LIMIT } from '../../validation';
import { checkAnswer, workflowListAnswer } from '../../schemas';
import { workflowList } from '../../results/review';

export const getAll: Operation = {
	description: withDisplay(showFor('workflow', 'getAll'), [
		...returnAllProperties(),
		{
			displayName: 'Each workflow comes with its ID, name (description), fields, table headers and settings. An account has at most 20 workflows.',
			name: 'workflowListNotice',
			type: 'notice',
			default: '',
		},
	]),

	async prepare(itemIndex) {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: checkNumberRange(this, this.getNodeParameter('limit', itemIndex, 50) as number, 'Limit', 1, MAX_LIST_LIMIT, itemIndex);
		return async (client) => {
			// One request: an account holds at most 20 workflows, and no page parameters are documented.
			const answer = checkAnswer(client, workflowListAnswer, await client.request<unknown>('listWorkflows', { itemIndex }), itemIndex);
			return workflowList(answer).slice(0, limit);
		};
	},
};
