import type { IDataObject } from 'n8n-workflow';

import { optionsProperty, returnAllProperties, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, MAX_LIST_LIMIT } from '../../validation';
import { extractionItem, extractionListEntries, extractionListHasNext } from '../../results/extraction';

/** Nanonets' page size for the results list (the documented maximum is not known: stay modest). */
const PAGE_SIZE = 50;
/** A guard against a server that always says "there is more". */
const MAX_PAGES = 1000;

export const getAll: Operation = {
	description: withDisplay(showFor('extraction', 'getAll'), [...returnAllProperties(), optionsProperty([])]),

	async prepare(itemIndex) {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: checkNumberRange(this, this.getNodeParameter('limit', itemIndex, 50) as number, 'Limit', 1, MAX_LIST_LIMIT, itemIndex);
		return async (client) => {
			const items: IDataObject[] = [];
			// The same page size on every page, so that page numbers mean the same rows.
			const pageSize = Math.min(PAGE_SIZE, limit);
			for (let page = 1; page <= MAX_PAGES && items.length < limit; page++) {
				const answer = await client.request<unknown>('listExtractionResults', {
					query: { page, page_size: pageSize, sort_by: 'created_at', sort_order: 'desc' },
					itemIndex,
				});
				const entries = extractionListEntries(answer);
				items.push(...entries.map((entry) => extractionItem(entry)));
				if (entries.length === 0 || !extractionListHasNext(answer, page, entries.length, pageSize)) break;
			}
			return items.slice(0, limit);
		};
	},
};
