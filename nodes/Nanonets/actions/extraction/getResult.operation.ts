import { optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { anyObject, checkAnswer } from '../../schemas';
import { extractionItem } from '../../results/extraction';
import type { IDataObject } from 'n8n-workflow';

export const getResult: Operation = {
	description: withDisplay(showFor('extraction', 'getResult'), [
		{
			displayName: 'Record ID',
			name: 'recordId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 3f2a9c1e-...',
			description: 'The record_id an extraction returned (for example one sent without waiting)',
		},
		optionsProperty([]),
	]),

	async prepare(itemIndex) {
		const recordId = checkId(this, this.getNodeParameter('recordId', itemIndex, ''), 'Record ID', itemIndex);
		return async (client) => {
			const answer = checkAnswer(client, anyObject, await client.request('getExtractionResult', { pathParams: { record_id: recordId }, itemIndex }), itemIndex) as IDataObject;
			return [extractionItem(answer)];
		};
	},
};
