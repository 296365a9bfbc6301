import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { concurrencyOption, keepBinaryOption, optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { anyObject, checkAnswer } from '../../schemas';
import { classificationItem } from '../../results/extraction';
import { itemLabel } from '../../validation';
import { extractionFileProperties, fileForm, readFileSource } from '../extraction/shared';

/** Nanonets documents at most 50 categories per request. */
const MAX_CATEGORIES = 50;
/** The classifier reads documents and images (PDF, PNG, JPG, TIFF, BMP, WebP). */
const CLASSIFY_KINDS = ['pdf', 'jpeg', 'png', 'tiff', 'bmp', 'webp'] as const;

const description: INodeProperties[] = [
	...extractionFileProperties(),
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Category',
		default: { category: [] },
		required: true,
		description: 'The categories a page can belong to (up to 50). A page that fits none is "Other".',
		options: [
			{
				displayName: 'Category',
				name: 'category',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Invoice', description: 'The category\'s name, as it appears in the output' },
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						placeholder: 'e.g. A bill from a supplier with a total to pay',
						description: 'What pages of this category look like: helps Nanonets tell similar categories apart',
					},
				],
			},
		],
	},
	optionsProperty([concurrencyOption, keepBinaryOption]),
];

export const classify: Operation = {
	description: withDisplay(showFor('documentClassification', 'classify'), description),

	async prepare(itemIndex) {
		const raw = this.getNodeParameter('categories.category', itemIndex, []) as IDataObject[];
		const categories = (Array.isArray(raw) ? raw : [])
			.map((entry) => ({ name: String(entry.name ?? '').trim(), description: String(entry.description ?? '').trim() }))
			.filter((entry) => entry.name !== '' || entry.description !== '');
		if (categories.length === 0) {
			throw new NodeOperationError(this.getNode(), `The "Categories" parameter is empty (${itemLabel(itemIndex)})`, {
				itemIndex,
				description: 'Add at least one category with a name, e.g. Invoice, Receipt, Contract.',
			});
		}
		const unnamed = categories.findIndex((entry) => entry.name === '');
		if (unnamed >= 0) {
			throw new NodeOperationError(this.getNode(), `Category ${unnamed + 1} has a description but no name (${itemLabel(itemIndex)})`, {
				itemIndex,
				description: 'Give every category a name.',
			});
		}
		if (categories.length > MAX_CATEGORIES) {
			throw new NodeOperationError(this.getNode(), `There are ${categories.length} categories; Nanonets accepts at most ${MAX_CATEGORIES} (${itemLabel(itemIndex)})`, { itemIndex });
		}
		const categoriesField = JSON.stringify(categories.map((entry) => (entry.description ? entry : { name: entry.name })));
		const source = await readFileSource(this, itemIndex, [...CLASSIFY_KINDS]);

		return async (client) => {
			// UNCONFIRMED: the docs show only `file` for classification; a URL goes as `file_url`, as for extraction.
			const { form, pages } = await fileForm(this, itemIndex, source, { categories: categoriesField }, [...CLASSIFY_KINDS]);
			const answer = checkAnswer(client, anyObject, await client.request('classifySync', { body: form(), pages, itemIndex }), itemIndex) as IDataObject;
			return [classificationItem(answer)];
		};
	},
};
