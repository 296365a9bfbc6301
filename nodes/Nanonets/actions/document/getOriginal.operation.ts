import { documentIdProperty, getWorkflowId, showFor, withDisplay, workflowIdProperties } from '../common';
import { OutputItem, type Operation } from '../types';
import { checkId, checkRequired, fileKinds, sniffFileKind } from '../../validation';
import { checkDocumentAnswer } from '../../schemas';
import { originalFileName, originalFileUrl } from '../../results/review';
import type { NanonetsClient } from '../../transport/request';
import { apiError } from '../../errors';

const GENERIC_TYPES = ['', 'application/octet-stream', 'binary/octet-stream'];

export const getOriginal: Operation = {
	description: withDisplay(showFor('document', 'getOriginal'), [
		...workflowIdProperties(),
		{ ...documentIdProperty, description: 'The document whose uploaded file to download' },
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the file in',
		},
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		const binaryPropertyName = checkRequired(this, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), 'Put Output File in Field', itemIndex);
		const pathParams = { workflow_id: workflowId, document_id: documentId };

		return async (client) => {
			let answer = await client.requestFile('getDocumentOriginal', { pathParams, itemIndex });
			let nameFromJson: string | undefined;
			// Nanonets may answer with the file's address instead of the file, as JSON or as a
			// redirect (unconfirmed): then the file is downloaded from there.
			if (answer.kind === 'json') {
				const url = originalFileUrl(answer.body);
				if (!url) throw unexpectedAnswer(client, documentId, itemIndex);
				nameFromJson = originalFileName(answer.body);
				answer = await client.downloadFile(url, itemIndex);
			} else if (answer.kind === 'redirect') {
				answer = await client.downloadFile(answer.url, itemIndex);
			}
			if (answer.kind !== 'file') throw unexpectedAnswer(client, documentId, itemIndex);
			const fileName = answer.fileName ?? nameFromJson ?? (await documentName(client, pathParams, itemIndex)) ?? documentId;
			const kind = sniffFileKind(answer.data.subarray(0, 16));
			const mimeType = GENERIC_TYPES.includes(answer.mimeType ?? '') && kind ? fileKinds[kind].mimeType : (answer.mimeType ?? 'application/octet-stream');
			const binary = await this.helpers.prepareBinaryData(answer.data, fileName, mimeType);
			return [
				new OutputItem(
					{ document_id: documentId, workflow_id: workflowId, file_name: fileName, mime_type: mimeType, file_size: answer.data.length },
					{ [binaryPropertyName]: binary },
				),
			];
		};
	},
};

/** The name the file was uploaded with, from the document, when the file answer carries none. */
async function documentName(client: NanonetsClient, pathParams: Record<string, string>, itemIndex: number): Promise<string | undefined> {
	const document = checkDocumentAnswer(client, await client.request('getDocument', { pathParams, itemIndex }), itemIndex);
	return typeof document.original_document_name === 'string' && document.original_document_name ? document.original_document_name : undefined;
}

function unexpectedAnswer(client: NanonetsClient, documentId: string, itemIndex: number) {
	return apiError(client, {
		message: `Unexpected response from Nanonets: no file and no download address for document ${documentId}`,
		description: 'Nanonets answered in a shape this node does not know. If it keeps happening, please report it with the node version.',
		itemIndex,
	});
}
