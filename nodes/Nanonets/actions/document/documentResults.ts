import type { IDataObject } from 'n8n-workflow';

import { documentFromV4 } from '../../results/v4';
import { toItems, type OutputFormat, type ShapeOptions } from '../../results/formats';
import { apiError, type ErrorSource } from '../../errors';

/** Pure: how a v4 document becomes items. Waiting and fetching live in waiting.ts. */

export const FINAL_STATUSES = ['success', 'failure'];

export function documentItems(document: IDataObject, format: OutputFormat, options: ShapeOptions = {}): IDataObject[] {
	return toItems(document, documentFromV4(document), format, options);
}

/** A document that ended in `failure` is an error for the item that uploaded it. */
export function failIfDocumentFailed(source: ErrorSource, document: IDataObject, itemIndex: number): void {
	if (document.status !== 'failure') return;
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
