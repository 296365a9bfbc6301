import type { IExecuteFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { authenticationProperty, documentUrlProperty, fileInputProperties } from '../common';
import { multipartBody, type FormFields, type MultipartForm } from '../../transport/multipart';
import { checkInputFile, checkUrl, type FileKind, type InputFile, itemLabel, readInputFile } from '../../validation';

/** Resources served by Nanonets' extraction API, with the `nanonetsExtractionApi` credential. */
export const EXTRACTION_RESOURCES = ['extraction', 'documentClassification', 'chat'];

/** Whether a resource goes to the extraction API (and its credential) rather than v4/v2. */
export function isExtractionResource(resource: string): boolean {
	return EXTRACTION_RESOURCES.includes(resource);
}

/**
 * The Nanonets node's credentials: the extraction resources use their own key; every other
 * resource uses the credential picked by Authentication. A user is never offered a credential
 * that cannot work for the chosen resource.
 */
export const nanonetsNodeCredentials: INodeCredentialDescription[] = [
	{ name: 'nanonetsAppApi', required: true, displayOptions: { show: { authentication: ['apiKey'] }, hide: { resource: EXTRACTION_RESOURCES } } },
	{ name: 'nanonetsLowCodeApi', required: true, displayOptions: { show: { authentication: ['lowCodeApi'] }, hide: { resource: EXTRACTION_RESOURCES } } },
	{ name: 'nanonetsExtractionApi', required: true, displayOptions: { show: { resource: EXTRACTION_RESOURCES, '@version': [2] } } },
];

/** Authentication chooses between the v4/v2 credentials; the extraction resources have only one. */
export const nanonetsAuthenticationProperty: INodeProperties = {
	...authenticationProperty,
	displayOptions: { hide: { resource: EXTRACTION_RESOURCES } },
};

/** What the extraction API reads (by content, not name): documents, images and spreadsheets. */
export const EXTRACTION_KINDS: FileKind[] = ['pdf', 'jpeg', 'png', 'tiff', 'gif', 'bmp', 'webp', 'xls', 'xlsx'];

/** Binary file or URL, with the same names as the v4 upload. */
export const extractionFileProperties = (): INodeProperties[] => fileInputProperties(documentUrlProperty);

/** Where one item's file comes from, read and checked before anything is sent. */
export type FileSource = { kind: 'binary'; propertyName: string } | { kind: 'url'; url: string };

export async function readFileSource(context: IExecuteFunctions, itemIndex: number, kinds: FileKind[] = EXTRACTION_KINDS): Promise<FileSource> {
	const inputType = context.getNodeParameter('inputType', itemIndex, 'binary') as string;
	if (inputType === 'url') {
		return { kind: 'url', url: checkUrl(context, context.getNodeParameter('documentUrl', itemIndex, ''), 'Document URL', itemIndex) };
	}
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	await checkInputFile(context, itemIndex, propertyName, kinds);
	return { kind: 'binary', propertyName };
}

/** The item's file bytes, read (and checked again) when the request is made. */
export async function loadFile(
	context: IExecuteFunctions,
	itemIndex: number,
	source: Extract<FileSource, { kind: 'binary' }>,
	kinds: FileKind[] = EXTRACTION_KINDS,
): Promise<InputFile> {
	return await readInputFile(context, itemIndex, source.propertyName, kinds);
}

/**
 * One item's form: its file, or the URL as `file_url` (Nanonets downloads it), after `fields`;
 * with the pages it books (a URL's are unknown before Nanonets reads it: one). `form` builds the
 * body anew for each request that sends it.
 */
export async function fileForm(
	context: IExecuteFunctions,
	itemIndex: number,
	source: FileSource,
	fields: FormFields,
	kinds: FileKind[] = EXTRACTION_KINDS,
): Promise<{ form: () => MultipartForm; pages: number }> {
	if (source.kind === 'url') return { form: () => multipartBody({ ...fields, file_url: source.url }), pages: 1 };
	const file = await loadFile(context, itemIndex, source, kinds);
	return { form: () => multipartBody(fields, file), pages: file.pages };
}

/** A text option, trimmed; undefined when empty. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = (typeof value === 'object' ? JSON.stringify(value) : String(value)).trim();
	return text === '' ? undefined : text;
}

/** Nanonets documents 8000 characters at most for custom instructions. */
export const MAX_CUSTOM_INSTRUCTIONS = 8000;

export function checkTextLength(context: IExecuteFunctions, text: string | undefined, parameter: string, max: number, itemIndex: number): void {
	if (text !== undefined && text.length > max) {
		throw new NodeOperationError(context.getNode(), `The "${parameter}" option is ${text.length} characters long; Nanonets accepts at most ${max} (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: `Shorten the ${parameter.toLowerCase()}.`,
		});
	}
}
