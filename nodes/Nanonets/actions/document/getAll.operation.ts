import type { IDataObject } from 'n8n-workflow';

import { getWorkflowId, returnAllProperties, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, MAX_LIST_LIMIT } from '../../validation';
import { checkAnswer, documentListAnswer } from '../../schemas';

/** Pages of at most this many documents; the API's maximum. */
const PAGE_SIZE = 100;
/** A stop for `returnAll` against a list that never ends. */
const MAX_PAGES = 10_000;

export const getAll: Operation = {
	description: withDisplay(showFor('document', 'getAll'), [
		...workflowIdProperties(),
		...returnAllProperties(),
		{
			displayName: 'Documents are listed newest first, with their status but without extracted data. Use Get for a document\'s fields and tables.',
			name: 'listNotice',
			type: 'notice',
			default: '',
		},
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: checkNumberRange(this, this.getNodeParameter('limit', itemIndex, 50) as number, 'Limit', 1, MAX_LIST_LIMIT, itemIndex);
		return async (client) => {
			const documents: IDataObject[] = [];
			for (let page = 1; page <= MAX_PAGES && documents.length < limit; page++) {
				const pageSize = Math.min(PAGE_SIZE, limit - documents.length);
				const answer = checkAnswer(
					client,
					documentListAnswer,
					await client.request('listDocuments', {
						pathParams: { workflow_id: workflowId },
						query: { page, limit: returnAll ? PAGE_SIZE : pageSize },
						itemIndex,
					}),
					itemIndex,
				);
				const batch = (answer.documents ?? []) as IDataObject[];
				documents.push(...batch.slice(0, limit - documents.length));
				const total = answer.total_count;
				if (batch.length < (returnAll ? PAGE_SIZE : pageSize) || (total !== undefined && page * PAGE_SIZE >= total && returnAll)) break;
			}
			return documents;
		};
	},
};
