import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeCredentialDescription,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type OutputFormat, type ShapeOptions } from '../results/formats';
import type { PollSchedule } from '../waiting';
import { checkId, checkNumberRange, itemLabel, MAX_LIST_LIMIT } from '../validation';

/** Display conditions for what differs between node versions. */
export const VERSION_1: IDisplayOptions['show'] = { '@version': [1] };
export const FROM_VERSION_2: IDisplayOptions['show'] = { '@version': [{ _cnd: { gte: 2 } }] };

/** Parameters shown for one resource and one or more operations. */
export function showFor(resource: string, operation: string | string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

export function withDisplay(display: IDisplayOptions, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			show: { ...display.show, ...(property.displayOptions?.show ?? {}) },
		},
	}));
}

/** Both nodes authenticate the same way: one credential type per `authentication` value. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'API Key', value: 'apiKey' },
		{ name: 'LowCodeAPI', value: 'lowCodeApi' },
	],
	default: 'apiKey',
};

export const nodeCredentials: INodeCredentialDescription[] = [
	{ name: 'nanonetsAppApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
	{ name: 'nanonetsLowCodeApi', required: true, displayOptions: { show: { authentication: ['lowCodeApi'] } } },
];

export const workflowIdProperty: INodeProperties = {
	displayName: 'Workflow ID',
	name: 'workflowId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
	description: 'The ID of the Nanonets workflow, from its API settings in the Nanonets app. The address of the workflow\'s page works too.',
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function decodedPart(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/**
 * The id in a pasted Nanonets app address, e.g. https://app.nanonets.com/#/workflows/<id>/... or
 * a model's page: the path segment after one of `segments` ("workflows"), else the first UUID.
 * Anything that is not an http(s) address is returned as it is.
 */
export function idFromAppUrl(value: string, segments: string[]): string | undefined {
	const text = value.trim();
	if (!/^https?:\/\//i.test(text)) return text;
	// The app routes in the fragment (#/workflows/...): read path, fragment and query alike.
	const parts = text.replace(/^https?:\/\/[^/#?]*/i, '').split(/[/#?&=]+/).filter(Boolean).map(decodedPart);
	for (let i = 0; i < parts.length - 1; i++) {
		if (segments.includes(parts[i].toLowerCase()) && !/^(new|list|all)$/i.test(parts[i + 1])) return parts[i + 1];
	}
	return parts.find((part) => UUID.test(part))?.match(UUID)?.[0];
}

/**
 * An id parameter, read from a plain string or a resource locator, taken out of a pasted
 * Nanonets app address if needed, and checked (`checkId`).
 */
export function readId(context: IExecuteFunctions, name: string, label: string, itemIndex: number, segments: string[]): string {
	const raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'object' && raw !== null ? (raw as IDataObject).value : raw;
	const text = typeof value === 'string' ? value : String(value ?? '');
	const id = idFromAppUrl(text, segments);
	if (id === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`The "${label}" parameter is an address without a ${label.replace(/ ID$/, '').toLowerCase()} ID in it (${itemLabel(itemIndex)})`,
			{ itemIndex, description: `Paste the ID itself, or the address of its page in the Nanonets app: "${text.slice(0, 120)}"` },
		);
	}
	return checkId(context, id, label, itemIndex);
}

export function getWorkflowId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, 'workflowId', 'Workflow ID', itemIndex, ['workflows', 'workflow']);
}

export function getModelIdParameter(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, 'modelId', 'Model ID', itemIndex, ['models', 'model']);
}

/**
 * A resource locator: pick from a searchable list (`searchListMethod` in the node's
 * `methods.listSearch`), or give the ID (an app address works too). Reusable for any id
 * parameter; the value is read with `readId`.
 */
export function resourceLocatorProperty(options: {
	displayName: string;
	name: string;
	searchListMethod: string;
	description: string;
	idPlaceholder: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: options.idPlaceholder,
				hint: 'The ID, or the address of its page in the Nanonets app',
			},
		],
	};
}

/**
 * The Workflow parameter of the Nanonets node: an ID in version 1; in version 2 also picked from
 * the account's workflows (`searchWorkflows`). Both are read by `getWorkflowId`.
 */
export function workflowIdProperties(): INodeProperties[] {
	return [
		{ ...workflowIdProperty, displayOptions: { show: VERSION_1 } },
		{
			...resourceLocatorProperty({
				displayName: 'Workflow',
				name: 'workflowId',
				searchListMethod: 'searchWorkflows',
				description: 'The Nanonets workflow whose documents to use',
				idPlaceholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
			}),
			displayOptions: { show: FROM_VERSION_2 },
		},
	];
}

export const documentIdProperty: INodeProperties = {
	displayName: 'Document ID',
	name: 'documentId',
	type: 'string',
	required: true,
	default: '',
	description: 'The document_id Nanonets returned when the document was uploaded',
};

export const modelIdProperty: INodeProperties = {
	displayName: 'Model ID',
	name: 'modelId',
	type: 'string',
	required: true,
	default: '',
	description: 'The ID of the Nanonets model',
};

/** Binary file or URL input; `urlProperty` is `documentUrl` (v4) or `urls` (v2). */
export function fileInputProperties(urlProperty: INodeProperties): INodeProperties[] {
	return [
		{
			displayName: 'Input Type',
			name: 'inputType',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A file from an earlier node (email attachment, Drive, Read File...)' },
				{ name: 'URL', value: 'url', description: 'Nanonets downloads the file from a public URL' },
			],
			default: 'binary',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			displayOptions: { show: { inputType: ['binary'] } },
			hint: 'The name of the input item\'s binary field that holds the file',
		},
		{ ...urlProperty, displayOptions: { show: { inputType: ['url'] } } },
	];
}

export const documentUrlProperty: INodeProperties = {
	displayName: 'Document URL',
	name: 'documentUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://example.com/invoice.pdf',
	description: 'A public http(s) URL of the document',
};

export const urlsProperty: INodeProperties = {
	displayName: 'URLs',
	name: 'urls',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 2 },
	placeholder: 'https://example.com/a.jpg, https://example.com/b.jpg',
	description: 'One or more public http(s) URLs, separated by commas or new lines',
};

export const outputFormatProperty: INodeProperties = {
	displayName: 'Output',
	name: 'outputFormat',
	type: 'options',
	options: [
		{ name: 'Document', value: 'document', description: 'One item per document, as Nanonets returns it' },
		{
			name: 'Simplified',
			value: 'simplified',
			description: 'One item per document with fields as name: value and tables as rows',
		},
		{ name: 'Fields', value: 'fields', description: 'One item per extracted field value' },
		{ name: 'Table Rows', value: 'tableRows', description: 'One item per table row, columns as keys (ready for a sheet)' },
	],
	default: 'document',
};

/**
 * The Output parameter as the Nanonets node shows it: `document` by default in version 1 (as
 * saved workflows expect), `simplified` from version 2. `show` adds display conditions.
 */
export function outputFormatProperties(show: IDisplayOptions['show'] = {}): INodeProperties[] {
	return [
		{ ...outputFormatProperty, displayOptions: { show: { ...show, ...VERSION_1 } } },
		{ ...outputFormatProperty, default: 'simplified', displayOptions: { show: { ...show, ...FROM_VERSION_2 } } },
	];
}

export function waitForCompletionProperty(what: string): INodeProperties {
	return {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: `Whether to wait until Nanonets has finished processing the ${what} and return the extracted data`,
	};
}

export const noWaitNotice: INodeProperties = {
	displayName:
		'Without waiting, the output has only the ID and a pending status. Use the Get operation later, or the Nanonets Trigger, to get the extracted data.',
	name: 'noWaitNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { waitForCompletion: [false] } },
};

/** Only until the node has seen this workflow's processing time; a check is a cheap GET. */
export const DEFAULT_POLL_INTERVAL = 1;
export const DEFAULT_TIMEOUT = 600;
/**
 * Enough items in flight to keep Nanonets' 75 pages a minute busy with one-page documents that
 * take up to 8 seconds each (75 / 60 x 8 = 10); pacing, not concurrency, guards the limit.
 */
export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 50;

/** How many items the item loop runs at once: the Concurrency option of the first item, bounded. */
export function itemConcurrency(context: IExecuteFunctions): number {
	const asked = Math.floor(Number(getOptions(context, 0).concurrency ?? DEFAULT_CONCURRENCY));
	return Math.min(MAX_CONCURRENCY, Math.max(1, asked || DEFAULT_CONCURRENCY));
}

export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: 300, numberPrecision: 1 },
		default: DEFAULT_POLL_INTERVAL,
		description:
			'How long to wait before the first status check. Once the node has seen how long this workflow takes, it checks just before that instead; later checks are spaced further apart.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 86400 },
		default: DEFAULT_TIMEOUT,
		description: 'Give up waiting after this long. The error names the ID, so the result can be fetched later.',
	},
];

/** The "Options" collection of an operation. */
export function optionsProperty(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

/** Text or JSON sent with an upload and returned with its result. */
export function metadataOption(description: string): INodeProperties {
	return { displayName: 'Metadata', name: 'metadata', type: 'string', default: '', description };
}

/** Every operation's Options carry this (added in operations.ts): how long one request may take. */
export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 0.1, maxValue: 3600, numberPrecision: 1 },
	default: 120,
	description:
		'How long to wait for Nanonets to answer one request before trying again (reads) or failing (uploads, which are never sent twice)',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many items to send to Nanonets at the same time. Requests are paced to the credential\'s Pages per Minute either way.',
};

export function getOutputFormat(context: IExecuteFunctions, itemIndex: number): OutputFormat {
	const fallback = context.getNode().typeVersion >= 2 ? 'simplified' : 'document';
	return context.getNodeParameter('outputFormat', itemIndex, fallback) as OutputFormat;
}

/** Options that shape extracted data; shown with the output formats they apply to. */
export const shapeOptions: INodeProperties[] = [
	{
		displayName: 'Parse Values',
		name: 'parseValues',
		type: 'boolean',
		default: false,
		description:
			'Whether to turn amounts into numbers and dates into YYYY-MM-DD, judged by the field\'s name (e.g. total_amount, invoice_date). A value that cannot be read stays text and is named in unparsed_fields.',
		displayOptions: { show: { '/outputFormat': ['simplified', 'fields', 'tableRows'] } },
	},
	{
		displayName: 'Row Fields',
		name: 'rowFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice_number, seller_name, invoice_date',
		description: 'Comma-separated document fields whose values are copied onto every table row',
		displayOptions: { show: { '/outputFormat': ['tableRows'] } },
	},
	{
		displayName: 'Min Confidence',
		name: 'minConfidence',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.8,
		placeholder: 'e.g. 0.8',
		description:
			'Fields read with a confidence below this (0 to 1) need a human. Simplified items get needs_review and low_confidence_fields, Fields items needs_review, so an IF node can send them to an approval step.',
		displayOptions: { show: { '/outputFormat': ['simplified', 'fields'], ...FROM_VERSION_2 } },
	},
];

/** Option Keep Binary (version 2), for operations that take a file; the router applies it. */
export const keepBinaryOption: INodeProperties = {
	displayName: 'Keep Binary',
	name: 'keepBinary',
	type: 'boolean',
	default: false,
	description:
		'Whether output items keep the input item\'s files, so the next node (Google Drive, S3, email) can still store or forward them. They are referenced, not copied.',
	displayOptions: { show: FROM_VERSION_2 },
};

/** Names written comma- or newline-separated, trimmed, without empty ones. */
export function nameList(text: unknown): string[] {
	return String(text ?? '')
		.split(/[,\n]/)
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

/**
 * Row Fields, Parse Values and Min Confidence from a node's Options. `checkMinConfidence` checks
 * Min Confidence where the node offers it (left out: not read); an empty field (an expression
 * that gave nothing) means "not set".
 */
export function shapeOptionsFrom(options: IDataObject, checkMinConfidence?: (value: number, asGiven: unknown) => number): ShapeOptions {
	const shape: ShapeOptions = { rowFields: nameList(options.rowFields), parseValues: options.parseValues === true };
	if (checkMinConfidence && options.minConfidence !== undefined && options.minConfidence !== '' && options.minConfidence !== null) {
		shape.minConfidence = checkMinConfidence(Number(options.minConfidence), options.minConfidence);
	}
	return shape;
}

export function getShapeOptions(context: IExecuteFunctions, itemIndex: number): ShapeOptions {
	// Min Confidence is a version 2 option.
	const checkMinConfidence = context.getNode().typeVersion >= 2 ? (value: number) => checkNumberRange(context, value, 'Min Confidence', 0, 1, itemIndex) : undefined;
	return shapeOptionsFrom(getOptions(context, itemIndex), checkMinConfidence);
}

export function getOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** The poll schedule from the item's options, checked. */
export function getPollSchedule(context: IExecuteFunctions, itemIndex: number): PollSchedule {
	const options = getOptions(context, itemIndex);
	const firstWait = checkNumberRange(
		context,
		Number(options.pollInterval ?? DEFAULT_POLL_INTERVAL),
		'Poll Interval',
		0.1,
		300,
		itemIndex,
	);
	const timeout = checkNumberRange(context, Number(options.timeout ?? DEFAULT_TIMEOUT), 'Timeout', 1, 86400, itemIndex);
	// Checks at most 20% apart: the wait after Nanonets finishes stays a small part of the total.
	return { firstWait, maxWait: Math.max(firstWait, 15), growth: 1.2, timeout };
}

/** Return All and Limit, for list operations. */
export function returnAllProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_LIST_LIMIT },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}
