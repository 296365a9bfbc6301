import { documentIdProperty, getWorkflowId, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { anyObject, checkAnswer } from '../../schemas';

export const deleteDocument: Operation = {
	description: withDisplay(showFor('document', 'delete'), [
		...workflowIdProperties(),
		{ ...documentIdProperty, description: 'The document to delete permanently, with its extracted data' },
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		return async (client) => {
			const answer = checkAnswer(
				client,
				anyObject,
				await client.request('deleteDocument', {
					pathParams: { workflow_id: workflowId, document_id: documentId },
					itemIndex,
				}),
				itemIndex,
			);
			return [{ document_id: documentId, deleted: true, message: typeof answer.message === 'string' ? answer.message : null }];
		};
	},
};
