import { getWorkflowId, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkAnswer, workflowAnswer } from '../../schemas';
import { workflowFrom } from '../../results/review';

export const get: Operation = {
	description: withDisplay(showFor('workflow', 'get'), workflowIdProperties()),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		return async (client) => {
			const answer = checkAnswer(
				client,
				workflowAnswer,
				await client.request<unknown>('getWorkflow', { pathParams: { workflow_id: workflowId }, itemIndex }),
				itemIndex,
			);
			return [workflowFrom(answer)];
		};
	},
};
