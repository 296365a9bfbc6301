import { showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { categoriesProperty, getCategories, modelItem, v2Form } from '../v2common';

/** Nanonets refuses image models with fewer categories; checked before sending. */
const MIN_CATEGORIES = 2;

export const create: Operation = {
	description: withDisplay(showFor('imageModel', 'create'), [
		{
			...categoriesProperty,
			placeholder: 'e.g. cat, dog',
			description: 'Comma-separated names of the labels the model should tell apart (at least two)',
		},
	]),

	async prepare(itemIndex) {
		const categories = getCategories(this, itemIndex, MIN_CATEGORIES);
		return async (client) => [
			modelItem(client, await client.request<unknown>('createImageModel', { body: v2Form('createImageModel', undefined, { categories }), itemIndex }), itemIndex),
		];
	},
};
