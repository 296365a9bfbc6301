import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from './types';
import { deleteDocument } from './document/delete.operation';
import { get as getDocument } from './document/get.operation';
import { getAll as getAllDocuments } from './document/getAll.operation';
import { getPage as getDocumentPage } from './document/getPage.operation';
import { upload as uploadDocument } from './document/upload.operation';

/** resource -> operation -> implementation; the router and the node description read this. */
export const operations: Record<string, Record<string, Operation>> = {
	document: {
		upload: uploadDocument,
		get: getDocument,
		getAll: getAllDocuments,
		getPage: getDocumentPage,
		delete: deleteDocument,
	},
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Workflow Document', value: 'document', description: 'Documents in a Nanonets v4 workflow' }],
	default: 'document',
};

export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		options: [
			{ name: 'Delete', value: 'delete', action: 'Delete a document', description: 'Delete a document and its extracted data' },
			{ name: 'Get', value: 'get', action: 'Get a document', description: 'Get a document with its extracted fields and tables' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many documents', description: 'List the documents of a workflow, newest first' },
			{ name: 'Get Page', value: 'getPage', action: 'Get a document page', description: 'Get the extracted data of one page' },
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a document',
				description: 'Send a file or URL to a workflow and (optionally) wait for the extracted data',
			},
		],
		default: 'upload',
	},
];

export function operationDescriptions(): INodeProperties[] {
	return Object.values(operations).flatMap((byName) => Object.values(byName).flatMap((op) => op.description));
}
