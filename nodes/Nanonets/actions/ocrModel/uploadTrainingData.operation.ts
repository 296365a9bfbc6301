import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getOptions, optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { itemLabel } from '../../validation';
import { asArray, asNullableText, asObject } from '../../results/extracted';
import {
	getModelId,
	inputNames,
	modelIdFor,
	modelItem,
	partialUpload,
	prepareV2Input,
	v2FileInputProperties,
	v2Form,
} from '../v2common';
import { anyObject } from '../../schemas';

export const uploadTrainingData: Operation = {
	description: withDisplay(showFor('ocrModel', 'uploadTrainingData'), [
		modelIdFor('OCR'),
		...v2FileInputProperties,
		optionsProperty([
			{
				displayName: 'Annotations (JSON)',
				name: 'annotations',
				type: 'json',
				// Not '': n8n's JSON editor marks an empty value as invalid JSON. An empty list means none.
				default: '[]',
				description:
					'Nanonets\' annotation list: [{ "filename": ..., "object": [{ "name": field name, "ocr_text": ..., "bndbox": { "xmin", "ymin", "xmax", "ymax" } }] }]. Without it the files are uploaded unannotated, to annotate in the Nanonets app.',
			},
		]),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const readInput = await prepareV2Input(this, itemIndex);
		const annotations = getAnnotations(this, itemIndex);
		return async (client) => {
			const input = await readInput();
			// Unannotated files still need an entry each: the annotation list names the files.
			const data = annotations ?? inputNames(input).map((filename) => ({ filename, object: [] }));
			const { body: answer, statusCode } =
				input.kind === 'file'
					? await client.requestWithStatus('uploadOcrTrainingFile', {
							pathParams: { model_id: modelId },
							body: v2Form('uploadOcrTrainingFile', input, { data: JSON.stringify(data) }),
							itemIndex,
						})
					: await client.requestWithStatus('uploadOcrTrainingUrls', {
							pathParams: { model_id: modelId },
							body: { urls: input.urls, data: data as IDataObject[] },
							itemIndex,
						});
			const processed = asArray(asObject(answer).Data).map((entry) => asNullableText(asObject(entry).filename)).filter((name) => name !== null);
			return [{ ...modelItem(client, answer, itemIndex, anyObject), ...partialUpload(statusCode, input, processed) }];
		};
	},
};

function getAnnotations(context: IExecuteFunctions, itemIndex: number): unknown[] | undefined {
	const value = getOptions(context, itemIndex).annotations;
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			parsed = error;
		}
	}
	if (!Array.isArray(parsed)) {
		throw new NodeOperationError(context.getNode(), `The "Annotations (JSON)" option is not a JSON list (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Enter a list such as [{ "filename": "invoice.jpg", "object": [] }].',
		});
	}
	// [] (the default) annotates nothing: each file gets an empty entry, as without the option.
	return parsed.length > 0 ? parsed : undefined;
}
