import { NodeOperationError } from 'n8n-workflow';

import { documentIdProperty, getWorkflowId, showFor, withDisplay, workflowIdProperties } from '../common';
import type { Operation } from '../types';
import { checkId, itemLabel } from '../../validation';
import { verificationItem } from '../../results/review';

/** The statuses Nanonets' schema lists for a reviewed document. */
export const VERIFICATION_STATUSES = ['success', 'failed'];

export const verify: Operation = {
	description: withDisplay(showFor('document', 'verify'), [
		...workflowIdProperties(),
		{ ...documentIdProperty, description: 'The document to approve or reject in Nanonets\' review' },
		{
			displayName: 'Verification Status',
			name: 'verificationStatus',
			type: 'options',
			options: [
				{ name: 'Approved (Success)', value: 'success', description: 'The document\'s data is right' },
				{ name: 'Rejected (Failed)', value: 'failed', description: 'The document\'s data is wrong; say why in the message' },
			],
			default: 'success',
			description: 'The reviewer\'s decision. From an expression: "success" or "failed".',
		},
		{
			displayName: 'Verification Message',
			name: 'verificationMessage',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			placeholder: 'e.g. The total does not match the purchase order',
			description: 'Why the document was approved or rejected; shown with the document in Nanonets',
		},
	]),

	async prepare(itemIndex) {
		const workflowId = getWorkflowId(this, itemIndex);
		const documentId = checkId(this, this.getNodeParameter('documentId', itemIndex), 'Document ID', itemIndex);
		const status = String(this.getNodeParameter('verificationStatus', itemIndex, 'success') ?? '').trim();
		if (!VERIFICATION_STATUSES.includes(status)) {
			throw new NodeOperationError(
				this.getNode(),
				`The "Verification Status" parameter must be "success" or "failed", not "${status.slice(0, 40)}" (${itemLabel(itemIndex)})`,
				{ itemIndex, description: 'Map the reviewer\'s decision to "success" (approved) or "failed" (rejected).' },
			);
		}
		const message = String(this.getNodeParameter('verificationMessage', itemIndex, '') ?? '');
		return async (client) => {
			const answer = await client.request<unknown>('verifyDocument', {
				pathParams: { workflow_id: workflowId, document_id: documentId },
				body: { verification_status: status, verification_message: message },
				itemIndex,
			});
			return [verificationItem(answer, { workflowId, documentId, status, message })];
		};
	},
};
