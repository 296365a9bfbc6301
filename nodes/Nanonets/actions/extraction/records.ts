import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { afterAcceptance, operationError } from '../../errors';
import { extractionItem, extractionStatus, type ExtractionFormat } from '../../results/extraction';
import type { NanonetsClient } from '../../transport/request';
import type { FormFields } from '../../transport/multipart';
import { pollUntil, type PollSchedule, WaitTimeoutError } from '../../waiting';
import { anyObject, checkAnswer } from '../../schemas';
import { secondsText } from '../../validation';
import { OutputItem } from '../types';

/** Everything one Extract item asks for, read and checked before anything is sent. */
export interface ExtractionSettings {
	outputFormats: ExtractionFormat[];
	/** The form fields sent with the file (output_format, json_options, ...). */
	fields: FormFields;
	wait: boolean;
	schedule: PollSchedule;
	/** Formats also attached as binary files, in binary fields named after the format. */
	attach: Array<'markdown' | 'html' | 'csv' | 'json'>;
}

/** Nanonets' sync endpoint takes documents of up to 5 pages; longer ones go asynchronously. */
export const MAX_SYNC_PAGES = 5;

/**
 * A sync request refused because the document is too long: Nanonets answers 400 and says so
 * (UNCONFIRMED wording: "maximum limit", "too many pages", "use async").
 */
export function isTooLongForSync(error: unknown): boolean {
	if (!(error instanceof NodeApiError) || String(error.httpCode) !== '400') return false;
	return /maximum (page )?limit|too (long|many pages|large)|exceeds? .*pages?|pages? .*exceed|use (the )?async|asynchronous/i.test(error.message);
}

/** Polls Get Result until the record is completed or failed; errors name the record. */
export async function waitForRecord(
	client: NanonetsClient,
	recordId: string,
	schedule: PollSchedule,
	itemIndex: number,
	signal: AbortSignal | undefined,
): Promise<IDataObject> {
	try {
		return await pollUntil(
			async () => {
				const answer = checkAnswer(client, anyObject, await client.request('getExtractionResult', { pathParams: { record_id: recordId }, itemIndex }), itemIndex) as IDataObject;
				return extractionStatus(answer) === 'processing' ? undefined : answer;
			},
			`Record ${recordId}`,
			schedule,
			signal,
			'extraction',
			client.node,
		);
	} catch (error) {
		if (error instanceof WaitTimeoutError) {
			throw operationError(client, {
				message: `The extraction ${recordId} was not finished within ${secondsText(schedule.timeout)} (item ${itemIndex + 1})`,
				description: `Nanonets is still working on it. Fetch it later with Extraction > Get Result and Record ID ${recordId}, or raise the Timeout option.`,
				itemIndex,
			});
		}
		throw afterAcceptance(client, error, `record ${recordId}`, `fetch it with Extraction > Get Result and Record ID ${recordId}`);
	}
}

const FILE_TYPES: Record<ExtractionSettings['attach'][number], { extension: string; mimeType: string }> = {
	markdown: { extension: 'md', mimeType: 'text/markdown' },
	html: { extension: 'html', mimeType: 'text/html' },
	csv: { extension: 'csv', mimeType: 'text/csv' },
	json: { extension: 'json', mimeType: 'application/json' },
};

/**
 * An accepted extraction, to its item: waits for it when asked to, fails on a failed record
 * (naming it), shapes the result and attaches the chosen formats as files.
 */
export async function finishExtraction(
	context: IExecuteFunctions,
	client: NanonetsClient,
	answer: IDataObject,
	settings: ExtractionSettings,
	itemIndex: number,
): Promise<Array<IDataObject | OutputItem>> {
	let record = answer;
	const recordId = String(record.record_id ?? '');
	const hasContent = typeof record.result === 'object' && record.result !== null && Object.keys(record.result).length > 0;
	if (settings.wait && (extractionStatus(record) === 'processing' || !hasContent) && recordId && extractionStatus(record) !== 'failed') {
		record = await waitForRecord(client, recordId, settings.schedule, itemIndex, context.getExecutionCancelSignal?.());
	}
	const item = extractionItem(record, settings.outputFormats);
	if (item.status === 'failed') {
		throw operationError(client, {
			message: `Nanonets could not extract ${item.filename ? `"${String(item.filename)}"` : 'the document'}${recordId ? ` (record ${recordId})` : ''}`,
			quote: typeof item.message === 'string' ? item.message : undefined,
			description: 'Check that the file opens and is readable. Nanonets may also fail on password-protected or damaged files.',
			itemIndex,
		});
	}
	if (!settings.attach.length || item.status !== 'completed') return [item];
	const binary: IBinaryKeyData = {};
	const base = String(item.filename ?? 'document').replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'document';
	for (const format of settings.attach) {
		if (item[format] === undefined) continue;
		const text = typeof item[format] === 'string' ? (item[format] as string) : JSON.stringify(item[format], null, 2);
		const { extension, mimeType } = FILE_TYPES[format];
		binary[format] = await context.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), `${base}.${extension}`, mimeType);
	}
	return [new OutputItem(item, binary)];
}
