import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	concurrencyOption,
	getOptions,
	getPollSchedule,
	itemConcurrency,
	keepBinaryOption,
	nameList,
	optionsProperty,
	showFor,
	waitForCompletionProperty,
	waitOptions,
	withDisplay,
} from '../common';
import type { ItemCall, Operation } from '../types';
import { EXTRACTION_FORMATS, type ExtractionFormat } from '../../results/extraction';
import type { FormFields, MultipartForm } from '../../transport/multipart';
import type { NanonetsClient } from '../../transport/request';
import { itemLabel } from '../../validation';
import { groupIntoBatches, type BatchPart } from './batch';
import { finishExtraction, isTooLongForSync, MAX_SYNC_PAGES, type ExtractionSettings } from './records';
import { checkTextLength, extractionFileProperties, fileForm, loadFile, MAX_CUSTOM_INSTRUCTIONS, optionalText, readFileSource } from './shared';

const formatOptions = [
	{ name: 'Markdown', value: 'markdown', description: 'The document as markdown, tables included' },
	{ name: 'HTML', value: 'html', description: 'The document as HTML' },
	{ name: 'JSON', value: 'json', description: 'Key/value data: automatic, the fields you name, or your JSON schema' },
	{ name: 'CSV', value: 'csv', description: 'The document\'s tables as CSV' },
];

const description: INodeProperties[] = [
	...extractionFileProperties(),
	{
		displayName: 'Output Formats',
		name: 'outputFormats',
		type: 'multiOptions',
		options: formatOptions,
		default: ['markdown'],
		required: true,
		description: 'What to get back. Several formats come from one extraction: each is a key of the output item.',
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice_number, invoice_date, total_amount',
		description: 'Comma-separated names of the fields to extract into the JSON output. Empty: Nanonets picks the key/value pairs itself.',
		displayOptions: { show: { outputFormats: ['json'] } },
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		// Not '': n8n's JSON editor marks an empty value as invalid JSON. An empty object means no schema.
		default: '{}',
		placeholder: '{ "type": "object", "properties": { "invoice_number": { "type": "string" } } }',
		description:
			'A JSON schema the JSON output must follow (nested objects and arrays allowed). Takes precedence over Fields. Leave it as {} to use Fields (or let Nanonets pick the fields).',
		displayOptions: { show: { outputFormats: ['json'] } },
	},
	waitForCompletionProperty('document'),
	{
		displayName:
			'Without waiting, documents of more than 5 pages (and batches) return only their record_id and a processing status: use Extraction > Get Result later.',
		name: 'noWaitExtractionNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: [false] } },
	},
	optionsProperty([
		{
			displayName: 'Attach as File',
			name: 'attachAsFile',
			type: 'multiOptions',
			options: [
				{ name: 'CSV', value: 'csv' },
				{ name: 'HTML', value: 'html' },
				{ name: 'JSON', value: 'json' },
				{ name: 'Markdown', value: 'markdown' },
			],
			default: [],
			description:
				'Formats to also put in the output item as binary files (binary field named after the format, e.g. "csv"), ready for Google Drive, email or Write File',
		},
		{
			displayName: 'Custom Instructions',
			name: 'customInstructions',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. Dates as YYYY-MM-DD; amounts without currency symbols',
			description: 'Extra instructions for the extraction, up to 8000 characters',
		},
		{
			displayName: 'Include Metadata',
			name: 'includeMetadata',
			type: 'multiOptions',
			options: [
				{ name: 'Bounding Boxes', value: 'boundingBoxes', description: 'Where each element is on its page' },
				{ name: 'Confidence Score', value: 'confidenceScore', description: 'How sure Nanonets is of each value' },
			],
			default: [],
			description: 'Extra data per output format, in the output item\'s metadata',
		},
		{
			displayName: 'Prompt Mode',
			name: 'promptMode',
			type: 'options',
			options: [
				{ name: 'Append', value: 'append', description: 'Add the custom instructions to Nanonets\' own' },
				{ name: 'Replace', value: 'replace', description: 'Use only the custom instructions' },
			],
			default: 'append',
			description: 'How the custom instructions combine with Nanonets\' own',
		},
		{
			displayName: 'Use Batch Requests',
			name: 'useBatch',
			type: 'boolean',
			default: true,
			description:
				'Whether to send binary files of several items together, up to 50 per request, when their settings match and there are more of them than the Concurrency option runs at once. Every item still gets its own result or error.',
		},
		concurrencyOption,
		...waitOptions,
		keepBinaryOption,
	]),
];

const METADATA_NAMES: Record<string, string> = { boundingBoxes: 'bounding_boxes', confidenceScore: 'confidence_score' };

function asList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value === 'string' && value.trim()) return value.split(',').map((part) => part.trim()).filter(Boolean);
	return [];
}

/** `json_options`: the schema (as JSON text), or the field names as a JSON list, or nothing. */
function jsonOptions(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const schema = context.getNodeParameter('jsonSchema', itemIndex, '') as unknown;
	if (schema !== '' && schema !== undefined && schema !== null) {
		let parsed: unknown = schema;
		if (typeof schema === 'string') {
			try {
				parsed = JSON.parse(schema);
			} catch (error) {
				throw new NodeOperationError(context.getNode(), `The "JSON Schema" parameter is not valid JSON (${itemLabel(itemIndex)}): ${(error as Error).message}`, {
					itemIndex,
					description: 'Enter a JSON schema object, e.g. { "type": "object", "properties": { "total": { "type": "number" } } }, or leave it empty and use Fields.',
				});
			}
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			throw new NodeOperationError(context.getNode(), `The "JSON Schema" parameter must be a JSON object (${itemLabel(itemIndex)})`, {
				itemIndex,
				description: 'A JSON schema is an object with "type" and "properties". For a list of names, use Fields.',
			});
		}
		// {} (the default) says nothing about the output: Fields decide.
		if (Object.keys(parsed).length > 0) return JSON.stringify(parsed);
	}
	const fields = nameList(context.getNodeParameter('fields', itemIndex, ''));
	return fields.length ? JSON.stringify(fields) : undefined;
}

/** Reads and checks one item's settings. */
export function readExtractionSettings(context: IExecuteFunctions, itemIndex: number): ExtractionSettings {
	const outputFormats = asList(context.getNodeParameter('outputFormats', itemIndex, ['markdown'])).map((format) => format.toLowerCase());
	if (outputFormats.length === 0) {
		throw new NodeOperationError(context.getNode(), `The "Output Formats" parameter is empty (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Choose at least one of Markdown, HTML, JSON and CSV.',
		});
	}
	const unknown = outputFormats.filter((format) => !(EXTRACTION_FORMATS as readonly string[]).includes(format));
	if (unknown.length) {
		throw new NodeOperationError(context.getNode(), `The "Output Formats" parameter has unknown formats: ${unknown.join(', ')} (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Use markdown, html, json or csv.',
		});
	}
	const options = getOptions(context, itemIndex);
	const customInstructions = optionalText(options.customInstructions);
	checkTextLength(context, customInstructions, 'Custom Instructions', MAX_CUSTOM_INSTRUCTIONS, itemIndex);
	const promptMode = String(options.promptMode ?? 'append');
	if (promptMode !== 'append' && promptMode !== 'replace') {
		throw new NodeOperationError(context.getNode(), `The "Prompt Mode" option must be append or replace, not "${promptMode}" (${itemLabel(itemIndex)})`, { itemIndex });
	}
	if (promptMode === 'replace' && !customInstructions) {
		throw new NodeOperationError(context.getNode(), `Prompt Mode "Replace" needs Custom Instructions (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Replace uses only your instructions: enter them, or set Prompt Mode to Append.',
		});
	}
	const metadata = asList(options.includeMetadata).map((name) => METADATA_NAMES[name] ?? name);
	const formats = outputFormats as ExtractionFormat[];
	const fields: FormFields = {
		output_format: formats.join(','),
		json_options: formats.includes('json') ? jsonOptions(context, itemIndex) : undefined,
		include_metadata: metadata.length ? metadata.join(',') : undefined,
		custom_instructions: customInstructions,
		prompt_mode: customInstructions ? promptMode : undefined,
	};
	const attach = asList(options.attachAsFile).filter((format): format is ExtractionSettings['attach'][number] => ['markdown', 'html', 'csv', 'json'].includes(format));
	const missing = attach.filter((format) => !formats.includes(format));
	if (missing.length) {
		throw new NodeOperationError(context.getNode(), `"Attach as File" names ${missing.join(', ')}, which is not among the Output Formats (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Add the format to Output Formats, or remove it from Attach as File.',
		});
	}
	return {
		outputFormats: formats,
		fields,
		wait: context.getNodeParameter('waitForCompletion', itemIndex, true) as boolean,
		schedule: getPollSchedule(context, itemIndex),
		attach,
	};
}

/** Sends one document: sync when it is short enough, else (or when Nanonets says it is too long) async. */
async function extractOne(client: NanonetsClient, body: () => MultipartForm, pages: number, itemIndex: number): Promise<IDataObject> {
	if (pages <= MAX_SYNC_PAGES) {
		const answer = await client.request('extractSync', { body: body(), pages, itemIndex }).catch((error: unknown) => {
			if (isTooLongForSync(error)) return undefined;
			return Promise.reject(error);
		});
		if (answer) return answer;
	}
	return await client.request('extractAsync', { body: body(), pages, itemIndex });
}

export const extract: Operation = {
	description: withDisplay(showFor('extraction', 'extract'), description),

	async prepare(itemIndex) {
		const settings = readExtractionSettings(this, itemIndex);
		const source = await readFileSource(this, itemIndex);

		const call: ItemCall & { batchPart?: BatchPart } = async (client) => {
			const { form, pages } = await fileForm(this, itemIndex, source, settings.fields);
			const answer = await extractOne(client, form, pages, itemIndex);
			return await finishExtraction(this, client, answer, settings, itemIndex);
		};
		if (source.kind === 'binary' && getOptions(this, itemIndex).useBatch !== false) {
			call.batchPart = {
				key: JSON.stringify(settings.fields),
				fields: settings.fields,
				itemIndex,
				readFile: async () => await loadFile(this, itemIndex, source),
				finish: async (client, record) => await finishExtraction(this, client, record, settings, itemIndex),
			};
		}
		return call;
	},

	group(calls) {
		return groupIntoBatches(calls, itemConcurrency(this));
	},
};
