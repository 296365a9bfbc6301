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
import { checkDocumentAnswer } from '../../schemas';
import { documentItems } from './documentResults';

export const get: Operation = {
	description: withDisplay(showFor('document', 'get'), [
		...workflowIdProperties(),
		documentIdProperty,
		...outputFormatProperties(),
		optionsProperty(shapeOptions),
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		const format = getOutputFormat(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		return async (client) => {
			const document = checkDocumentAnswer(
				client,
				await client.request('getDocument', { pathParams: { workflow_id: workflowId, document_id: documentId }, itemIndex }),
				itemIndex,
			);
			return documentItems(document, format, shape);
		};
	},
};
