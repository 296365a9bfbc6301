import type { IDataObject } from 'n8n-workflow';

import {
	documentIdProperty,
	getOutputFormat,
	getShapeOptions,
	getWorkflowId,
	optionsProperty,
	outputFormatProperties,
	shapeOptions,
	showFor,
	withDisplay,
	workflowIdProperties,
} from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { checkAnswer, pageAnswer } from '../../schemas';
import { toItems } from '../../results/formats';
import { pageFromV4 } from '../../results/v4';

export const getPage: Operation = {
	description: withDisplay(showFor('document', 'getPage'), [
		...workflowIdProperties(),
		documentIdProperty,
		{
			displayName: 'Page ID',
			name: 'pageId',
			type: 'string',
			required: true,
			default: '',
			description: 'The page_id of one page of the document (see the document\'s pages)',
		},
		...outputFormatProperties(),
		optionsProperty(shapeOptions),
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		const pageId = checkId(this, this.getNodeParameter('pageId', itemIndex), 'Page ID', itemIndex);
		const format = getOutputFormat(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		return async (client) => {
			const page = checkAnswer(
				client,
				pageAnswer,
				await client.request('getDocumentPage', {
					pathParams: { workflow_id: workflowId, document_id: documentId, page_id: pageId },
					itemIndex,
				}),
				itemIndex,
			) as IDataObject;
			// The page is shaped as a one-page document so every output format applies.
			const extracted = {
				document_id: documentId,
				status: null,
				original_document_name: null,
				uploaded_at: null,
				metadata: null,
				pages: [pageFromV4(page)],
			};
			return toItems(page, extracted, format, shape);
		};
	},
};
