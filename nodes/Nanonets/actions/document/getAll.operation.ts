import type { IDataObject } from 'n8n-workflow';

import { getWorkflowId, returnAllProperties, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, MAX_LIST_LIMIT } from '../../validation';
import { documentPages, MAX_DOCUMENT_PAGE_SIZE } from '../../transport/documentList';

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
			// One page size for the whole walk: pages are counted in it.
			const pageSize = Math.min(limit, MAX_DOCUMENT_PAGE_SIZE);
			for await (const page of documentPages(client, workflowId, { pageSize, itemIndex })) {
				documents.push(...page.documents.slice(0, limit - documents.length));
				if (documents.length >= limit) break;
			}
			return documents;
		};
	},
};
