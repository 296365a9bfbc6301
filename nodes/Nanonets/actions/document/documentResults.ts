import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { documentFromV4 } from '../../results/v4';
import { toItems, type OutputFormat, type ShapeOptions } from '../../results/formats';
import type { NanonetsClient } from '../../transport/request';
import { pollUntil, WaitTimeoutError, type PollSchedule } from '../../waiting';
import { checkDocumentAnswer } from '../../schemas';
import { secondsText } from '../../validation';

export const FINAL_STATUSES = ['success', 'failure'];

export function documentItems(document: IDataObject, format: OutputFormat, options: ShapeOptions = {}): IDataObject[] {
	return toItems(document, documentFromV4(document), format, options);
}

/** Polls Get Document until Nanonets says success or failure. */
export async function waitForDocument(
	context: IExecuteFunctions,
	client: NanonetsClient,
	workflowId: string,
	documentId: string,
	schedule: PollSchedule,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		return await pollUntil(
			async () => {
				const document = checkDocumentAnswer(
					client,
					await client.request('getDocument', {
						pathParams: { workflow_id: workflowId, document_id: documentId },
						itemIndex,
					}),
					itemIndex,
				);
				return FINAL_STATUSES.includes(String(document.status)) ? document : undefined;
			},
			`Document ${documentId}`,
			schedule,
			context.getExecutionCancelSignal?.(),
			`document:${workflowId}`,
		);
	} catch (error) {
		if (error instanceof WaitTimeoutError) {
			throw new NodeOperationError(
				context.getNode(),
				`Document ${documentId} was not processed within ${secondsText(schedule.timeout)} (item ${itemIndex + 1})`,
				{
					itemIndex,
					description: `Nanonets is still working on it. Fetch it later with Document > Get and Document ID ${documentId}, or raise the Timeout option.`,
				},
			);
		}
		throw error;
	}
}

/** A document that ended in `failure` is an error for the item that uploaded it. */
export function failIfDocumentFailed(client: NanonetsClient, document: IDataObject, itemIndex: number): void {
	if (document.status !== 'failure') return;
	const reason = typeof document.verification_message === 'string' && document.verification_message
		? `: ${document.verification_message}`
		: '';
	const message = client.redact(`Nanonets could not process document ${String(document.document_id)}${reason}`.slice(0, 800));
	throw new NodeApiError(client.node, { message }, {
		message,
		description: 'The document\'s status is "failure". Check it in the Nanonets app; re-upload a clearer or smaller file if needed.',
		itemIndex,
	});
}
