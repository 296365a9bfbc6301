import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getOutputFormat, getShapeOptions, optionsProperty, outputFormatProperties, shapeOptions, returnAllProperties, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkNumberRange, itemLabel, MAX_LIST_LIMIT } from '../../validation';
import { daysSinceEpoch } from '../../transport/endpoints';
import { v2Pages, v2PredictionItems } from '../../results/v2';
import { anyObject, checkAnswer } from '../../schemas';
import { getModelId, modelIdFor } from '../v2common';


/** Without a start date, the list covers this many days before the end date. */
const DEFAULT_RANGE_DAYS = 30;

export const getAll: Operation = {
	description: withDisplay(showFor('ocrPrediction', 'getAll'), [
		modelIdFor('OCR'),
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			description: `First day of the range (UTC). Empty: ${DEFAULT_RANGE_DAYS} days before the end date.`,
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			description: 'Last day of the range (UTC). Empty: today.',
		},
		...returnAllProperties().map((property) =>
			property.name === 'limit'
				? { ...property, hint: 'Counts predicted pages, newest first; they are then grouped into one item per file' }
				: property,
		),
		...outputFormatProperties(),
		optionsProperty(shapeOptions),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const end = readDate(this, 'endDate', 'End Date', itemIndex) ?? new Date();
		const start = readDate(this, 'startDate', 'Start Date', itemIndex) ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * 86_400_000);
		if (end.getTime() < start.getTime()) {
			throw new NodeOperationError(this.getNode(), `The "End Date" is before the "Start Date" (${itemLabel(itemIndex)})`, {
				itemIndex,
				description: 'Swap the dates, or leave Start Date empty for the 30 days before End Date.',
			});
		}
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: checkNumberRange(this, this.getNodeParameter('limit', itemIndex, 50) as number, 'Limit', 1, MAX_LIST_LIMIT, itemIndex);
		const format = getOutputFormat(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		return async (client) => {
			const answer = checkAnswer(
				client,
				anyObject,
				await client.request('listOcrPredictions', {
					pathParams: { model_id: modelId },
					query: { start_day_interval: daysSinceEpoch(start), current_batch_day: daysSinceEpoch(end) },
					itemIndex,
				}),
				itemIndex,
			);
			// The limit counts pages, newest first, before they are grouped into files.
			const pages = v2Pages(answer).sort((a, b) => dayOf(b.raw) - dayOf(a.raw));
			return v2PredictionItems(pages.slice(0, limit), format, shape);
		};
	},
};

function dayOf(page: { day_since_epoch?: unknown; hour_of_day?: unknown }): number {
	return Number(page.day_since_epoch ?? 0) * 24 + Number(page.hour_of_day ?? 0);
}

function readDate(context: IExecuteFunctions, name: string, label: string, itemIndex: number): Date | undefined {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === '' || value === null || value === undefined) return undefined;
	const text = String(value).trim();
	// The editor's date picker gives local-looking text without a zone ("2026-02-01T00:00:00"):
	// read it as UTC, as the description says, not in the n8n server's time zone.
	const date = new Date(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(context.getNode(), `The "${label}" parameter is not a date: "${text.slice(0, 40)}" (${itemLabel(itemIndex)})`, {
			itemIndex,
		});
	}
	return date;
}
