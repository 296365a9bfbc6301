import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, idFromAppUrl, nodeCredentials, outputFormatProperty, workflowIdProperties } from './actions/common';
import { searchWorkflows } from './methods/listSearch';
import type { OutputFormat } from './results/formats';
import { NanonetsClient, type Authentication } from './transport/request';
import { checkId } from './validation';
import { eventProperty, type TriggerEvent } from './trigger/events';
import { itemsOf, newestMatchingDocument, pollForDocuments, type Watch } from './trigger/poll';

export class NanonetsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nanonets Trigger',
		name: 'nanonetsTrigger',
		icon: { light: 'file:nanonets.svg', dark: 'file:nanonets.dark.svg' },
		group: ['trigger'],
		// Version 2: the Workflow is picked from a searchable list (or given by ID, as in version 1).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["event"] === "documentFailed" ? "Document failed" : "Document processed"}}',
		description: 'Starts the workflow when Nanonets finishes (or fails) processing a document of a v4 workflow',
		defaults: { name: 'Nanonets Trigger' },
		polling: true,
		hints: [
			{
				message:
					'This is the newest matching document, shown as an example of what the trigger emits.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
			},
		],
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: nodeCredentials,
		properties: [
			authenticationProperty,
			...workflowIdProperties(),
			eventProperty,
			outputFormatProperty,
			{
				displayName:
					'Once the workflow is active, documents that reach this status after activation start it, each once. Documents processed before activation are not replayed.',
				name: 'activationNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = { listSearch: { searchWorkflows } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const authentication = this.getNodeParameter('authentication', 'apiKey') as Authentication;
		const watch: Watch = {
			client: await NanonetsClient.create(this, authentication),
			// A plain ID (version 1), a picked or typed resource locator (version 2), or an app address.
			workflowId: checkId(this, idFromAppUrl(String(this.getNodeParameter('workflowId', '', { extractValue: true }) ?? ''), ['workflows', 'workflow']) ?? '', 'Workflow ID', 0),
			event: this.getNodeParameter('event', 'documentProcessed') as TriggerEvent,
			format: this.getNodeParameter('outputFormat', 'document') as OutputFormat,
		};

		const documents =
			this.getMode() === 'manual'
				? [await newestMatchingDocument.call(this, watch)]
				: await pollForDocuments.call(this, watch);
		if (documents.length === 0) return null;
		return [this.helpers.returnJsonArray(itemsOf(documents, watch.format))];
	}
}
