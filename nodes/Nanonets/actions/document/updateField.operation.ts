import { documentIdProperty, getWorkflowId, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { updatedFieldItem } from '../../results/review';

export const updateField: Operation = {
	description: withDisplay(showFor('document', 'updateField'), [
		...workflowIdProperties(),
		documentIdProperty,
		{
			displayName: 'Page ID',
			name: 'pageId',
			type: 'string',
			required: true,
			default: '',
			description: 'The page_id of the page holding the value (Fields output gives it for every value)',
		},
		{
			displayName: 'Field Data ID',
			name: 'fieldDataId',
			type: 'string',
			required: true,
			default: '',
			description: 'The field_data_id of the value to correct (Fields output gives it for every value)',
		},
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			default: '',
			description: 'The corrected value. Nanonets then marks it as moderated.',
		},
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		const pageId = checkId(this, this.getNodeParameter('pageId', itemIndex), 'Page ID', itemIndex);
		const fieldDataId = checkId(this, this.getNodeParameter('fieldDataId', itemIndex), 'Field Data ID', itemIndex);
		// A value may be corrected to empty (a wrongly read field), so it is not required.
		const value = String(this.getNodeParameter('value', itemIndex, '') ?? '');
		return async (client) => {
			const answer = await client.request<unknown>('updateDocumentField', {
				pathParams: { workflow_id: workflowId, document_id: documentId, page_id: pageId, field_data_id: fieldDataId },
				body: { value },
				itemIndex,
			});
			return [updatedFieldItem(answer, { documentId, pageId, fieldDataId, value })];
		};
	},
};
