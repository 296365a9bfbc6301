import type { IDataObject } from 'n8n-workflow';

import {
	concurrencyOption,
	keepBinaryOption,
	documentUrlProperty,
	fileInputProperties,
	getOptions,
	getOutputFormat,
	getPollSchedule,
	metadataOption,
	noWaitNotice,
	optionsProperty,
	outputFormatProperties,
	shapeOptions,
	getShapeOptions,
	getWorkflowId,
	showFor,
	waitForCompletionProperty,
	waitOptions,
	withDisplay,
	workflowIdProperties,
} from '../common';
import type { Operation } from '../types';
import { checkInputFile, checkMetadata, checkUrl, DOCUMENT_KINDS, readInputFile } from '../../validation';
import { checkDocumentAnswer } from '../../schemas';
import { multipartBody, type MultipartForm } from '../../transport/multipart';
import { documentItems, failIfDocumentFailed, isFinal } from './documentResults';
import { waitForDocument } from '../../waiting';

export const upload: Operation = {
	description: withDisplay(showFor('document', 'upload'), [
		...workflowIdProperties(),
		...fileInputProperties(documentUrlProperty),
		waitForCompletionProperty('document'),
		noWaitNotice,
		...outputFormatProperties({ waitForCompletion: [true] }),
		optionsProperty([
			concurrencyOption,
			metadataOption('Text or JSON attached to the document, returned with it (for example your own invoice reference)'),
			...waitOptions,
			...shapeOptions,
			keepBinaryOption,
		]),
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const inputType = this.getNodeParameter('inputType', itemIndex, 'binary') as string;
		const wait = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
		const format = wait ? getOutputFormat(this, itemIndex) : 'document';
		const options = getOptions(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		const metadata = checkMetadata(this, options.metadata, itemIndex);
		const schedule = getPollSchedule(this, itemIndex);
		const binaryPropertyName = inputType === 'binary' ? (this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string) : '';
		const documentUrl = inputType === 'url' ? checkUrl(this, this.getNodeParameter('documentUrl', itemIndex), 'Document URL', itemIndex) : '';
		if (inputType === 'binary') await checkInputFile(this, itemIndex, binaryPropertyName, DOCUMENT_KINDS);
		// Always asynchronous: the answer names the document at once, so waiting is bounded by the
		// Timeout option (not by one request's timeout) and any later error can name the document.
		const asyncFlag = true;

		return async (client) => {
			let body: IDataObject | MultipartForm;
			let pages = 1;
			if (inputType === 'binary') {
				const file = await readInputFile(this, itemIndex, binaryPropertyName, DOCUMENT_KINDS);
				pages = file.pages;
				body = multipartBody({ async: String(asyncFlag), metadata }, file);
			} else {
				body = { document_url: documentUrl, async: asyncFlag };
				if (metadata !== undefined) body.metadata = metadata;
			}

			let document = checkDocumentAnswer(
				client,
				await client.request('uploadDocument', { pathParams: { workflow_id: workflowId }, body, pages, itemIndex }),
				itemIndex,
			);
			if (!wait) return [document];
			// An asynchronous answer may say "success" before it carries the extracted pages.
			if (!isFinal(document) || !Array.isArray(document.pages)) {
				document = await waitForDocument(client, workflowId, String(document.document_id), schedule, itemIndex, this.getExecutionCancelSignal?.());
			}
			failIfDocumentFailed(client, document, itemIndex);
			return documentItems(document, format, shape);
		};
	},
};
