import type { INodeProperties } from 'n8n-workflow';

export type TriggerEvent = 'documentProcessed' | 'documentFailed';

/** The document status each event waits for. */
export const targetStatus: Record<TriggerEvent, string> = {
	documentProcessed: 'success',
	documentFailed: 'failure',
};

/** Nanonets' final statuses: a document in any other status may still change. */
export const FINAL_STATUSES = ['success', 'failure'];

export const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	options: [
		{
			name: 'Document Processed',
			value: 'documentProcessed',
			description: 'A document of the workflow finished processing (status "success")',
		},
		{
			name: 'Document Failed',
			value: 'documentFailed',
			description: 'Nanonets could not process a document of the workflow (status "failure")',
		},
	],
	default: 'documentProcessed',
};
