import type { IDataObject } from 'n8n-workflow';

import { documentFromV4 } from '../../results/v4';
import { toItems, type OutputFormat, type ShapeOptions } from '../../results/formats';
import { apiError, type ErrorSource } from '../../errors';

/** Pure: how a v4 document becomes items. Waiting and fetching live in waiting.ts. */

export const FINAL_STATUSES = ['success', 'failure'];

/** A status as Nanonets wrote it, in lower case: its answers say both "Success" and "success". */
export function statusOf(document: IDataObject): string {
	return String(document.status ?? '').toLowerCase();
}

/** The document reached `success` or `failure`, in whichever case Nanonets wrote it. */
export function isFinal(document: IDataObject): boolean {
	return FINAL_STATUSES.includes(statusOf(document));
}

export function documentItems(document: IDataObject, format: OutputFormat, options: ShapeOptions = {}): IDataObject[] {
	return toItems(document, documentFromV4(document), format, options);
}

/** A document that ended in `failure` is an error for the item that uploaded it. */
export function failIfDocumentFailed(source: ErrorSource, document: IDataObject, itemIndex: number): void {
	if (statusOf(document) !== 'failure') return;
	const reason = typeof document.verification_message === 'string' && document.verification_message
		? document.verification_message
		: undefined;
	throw apiError(source, {
		message: `Nanonets could not process document ${String(document.document_id)}`,
		quote: reason,
		description: 'The document\'s status is "failure". Check it in the Nanonets app; re-upload a clearer or smaller file if needed.',
		itemIndex,
	});
}
