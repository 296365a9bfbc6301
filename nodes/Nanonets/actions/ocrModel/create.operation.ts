import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { categoriesProperty, getCategories, modelItem } from '../v2common';

export const create: Operation = {
	description: withDisplay(showFor('ocrModel', 'create'), [
		{ ...categoriesProperty, description: 'Comma-separated names of the fields the model should extract, e.g. "invoice_number, total_amount"' },
	]),

	async prepare(itemIndex) {
		const categories = getCategories(this, itemIndex, 1);
		return async (client) => [
			modelItem(client, await client.request<unknown>('createOcrModel', { body: { categories, model_type: 'ocr' }, itemIndex }), itemIndex),
		];
	},
};
