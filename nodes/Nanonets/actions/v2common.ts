import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import {
	fileInputProperties,
	FROM_VERSION_2,
	getModelIdParameter,
	modelIdProperty,
	nameList,
	resourceLocatorProperty,
	urlsProperty,
	VERSION_1,
} from './common';
import { checkAnswer, modelAnswer } from '../schemas';
import { endpoints, type EndpointName } from '../transport/endpoints';
import { multipartBody, urlEncodedBody, type FormFields, type MultipartForm } from '../transport/multipart';
import type { NanonetsClient } from '../transport/request';
import { checkInputFile, checkUrlList, itemLabel, readInputFile, V2_KINDS, type InputFile } from '../validation';

/** Parameters and helpers shared by the v2 model operations (OCR and image classification). */

export const v2FileInputProperties: INodeProperties[] = fileInputProperties(urlsProperty);

export function modelIdFor(what: string): INodeProperties {
	return { ...modelIdProperty, description: `The ID of the Nanonets ${what} model (from the model's page or Create Model's output)` };
}

/**
 * The image model: an ID in version 1; in version 2 also picked from the account's image models
 * (`searchImageModels`). Both are read by `getModelId`.
 */
export function imageModelIdProperties(): INodeProperties[] {
	const what = 'image classification';
	return [
		{ ...modelIdFor(what), displayOptions: { show: VERSION_1 } },
		{
			...resourceLocatorProperty({
				displayName: 'Model',
				name: 'modelId',
				searchListMethod: 'searchImageModels',
				description: `The Nanonets ${what} model`,
				idPlaceholder: 'e.g. 6a1c3c6e-1111-4c3b-9c49-0123456789ab',
			}),
			displayOptions: { show: FROM_VERSION_2 },
		},
	];
}

export const categoriesProperty: INodeProperties = {
	displayName: 'Categories',
	name: 'categories',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. invoice_number, total_amount',
	description: 'Comma-separated names',
};

/** Model states as Nanonets' v2 description lists them. */
const MODEL_STATES: Record<string, string> = {
	'-1': 'training error',
	'0': 'created: no training data uploaded yet',
	'1': 'data uploaded: needs annotation',
	'2': 'annotated: ready to train',
	'3': 'queued for training',
	'4': 'training',
	'5': 'ready: hosted, predictions can be made',
	'6': 'retraining: predictions can be made',
};

export function modelStateDescription(state: unknown): string | null {
	return MODEL_STATES[String(state)] ?? null;
}

/** A model object with a readable state next to Nanonets' number. */
export function withModelState(model: IDataObject): IDataObject {
	if (!('state' in model)) return model;
	return { ...model, state_description: modelStateDescription(model.state) };
}

/**
 * A model answer as the output item: checked to be a model (`modelAnswer`, with its model_id)
 * or at least an object (Train's answer is not documented), then given its readable state.
 */
export function modelItem(client: NanonetsClient, answer: unknown, itemIndex: number, schema: z.ZodTypeAny = modelAnswer): IDataObject {
	return withModelState(checkAnswer(client, schema, answer, itemIndex) as IDataObject);
}

/** Comma- or newline-separated names, trimmed, without duplicates; refused if too few. */
export function getCategories(context: IExecuteFunctions, itemIndex: number, minimum: number): string[] {
	const raw = String(context.getNodeParameter('categories', itemIndex, '') ?? '');
	const names = [...new Set(nameList(raw))];
	if (names.length < minimum) {
		throw new NodeOperationError(
			context.getNode(),
			`The "Categories" parameter needs at least ${minimum} ${minimum === 1 ? 'name' : 'names'}, found ${names.length} (${itemLabel(itemIndex)})`,
			{ itemIndex, description: 'Enter the names separated by commas, e.g. "cat, dog".' },
		);
	}
	return names;
}

export function getModelId(context: IExecuteFunctions, itemIndex: number): string {
	return getModelIdParameter(context, itemIndex);
}

/** Shown on both Train operations: training is asynchronous at Nanonets. */
export const trainNotice: INodeProperties = {
	displayName: 'Training runs at Nanonets and takes a while. Use Get to follow the model\'s state; it can be used once the state is 5 (ready).',
	name: 'trainNotice',
	type: 'notice',
	default: '',
};

/** A file from the item or a list of URLs, checked before anything is sent. */
export type V2Input =
	| { kind: 'file'; fileName: string; file: InputFile; pages: number }
	| { kind: 'urls'; urls: string[]; pages: number };

/**
 * Checks the item's input now, before any item is sent (URLs valid; the file present, its size
 * and its real type), and returns a function that reads it when the item runs.
 */
export async function prepareV2Input(context: IExecuteFunctions, itemIndex: number): Promise<() => Promise<V2Input>> {
	const inputType = context.getNodeParameter('inputType', itemIndex, 'binary') as string;
	if (inputType === 'url') {
		const urls = checkUrlList(context, context.getNodeParameter('urls', itemIndex, ''), 'URLs', itemIndex);
		return async () => ({ kind: 'urls', urls, pages: urls.length });
	}
	const propertyName = context.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	await checkInputFile(context, itemIndex, propertyName, V2_KINDS);
	return async () => {
		const file = await readInputFile(context, itemIndex, propertyName, V2_KINDS);
		return { kind: 'file', fileName: file.fileName, file, pages: file.pages };
	};
}

/** What each input is called in the output: the file name, or each URL. */
export function inputNames(input: V2Input): string[] {
	return input.kind === 'file' ? [input.fileName] : input.urls;
}

/**
 * The body of a v2 form request, encoded as the endpoint table says for `endpoint`: the file
 * (field `file`) or the URLs (field `urls`, repeated), plus `fields`. Multipart for files;
 * URL lists URL-encoded where Nanonets' descriptions say so (`body: 'urlencoded'`).
 */
export function v2Form(endpoint: EndpointName, input: V2Input | undefined, fields: FormFields = {}): MultipartForm {
	const all = input?.kind === 'urls' ? { ...fields, urls: input.urls } : fields;
	// A file always travels as multipart (no URL-encoded endpoint takes one).
	if (endpoints[endpoint].body === 'urlencoded' && input?.kind !== 'file') return urlEncodedBody(all);
	return multipartBody(all, input?.kind === 'file' ? input.file : undefined);
}

/**
 * A training upload answered 202: Nanonets downloaded only some of the URLs. The output says
 * so, naming the URLs it did not take when the answer lists the ones it did (`processed`).
 */
export function partialUpload(statusCode: number, input: V2Input, processed?: string[]): IDataObject {
	if (statusCode !== 202 || input.kind !== 'urls') return {};
	if (!processed) return { warning: 'Nanonets could not download some of the URLs (HTTP 202); the others were uploaded' };
	const taken = new Set(processed);
	const failed = input.urls.filter((url) => !taken.has(url));
	return { warning: `Nanonets could not download ${failed.length} of the ${input.urls.length} URLs; the others were uploaded`, failed_urls: failed };
}
