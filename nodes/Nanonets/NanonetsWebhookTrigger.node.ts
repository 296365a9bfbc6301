import type { IHookFunctions, INodeProperties, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, nodeCredentials, outputFormatProperty, resourceLocatorProperty, shapeOptions } from './actions/common';
import { searchWorkflows } from './methods/listSearch';
import { checkCanResolve, receiveDelivery } from './webhook/receive';

const RESOLVING = { resolveDocument: [true] };

/** The shaping options of the Nanonets node, shown here for every version of this node. */
const webhookShapeOptions: INodeProperties[] = shapeOptions.map((option) => ({
	...option,
	displayOptions: { show: { '/outputFormat': option.displayOptions?.show?.['/outputFormat'] ?? [] } },
}));

export class NanonetsWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nanonets Webhook Trigger',
		name: 'nanonetsWebhookTrigger',
		icon: { light: 'file:nanonets.svg', dark: 'file:nanonets.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["resolveDocument"] === false ? "Export as sent" : "Export, read in full"}}',
		description: 'Starts the workflow the moment Nanonets exports a document to this webhook (processed, approved, rejected ...)',
		defaults: { name: 'Nanonets Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Shown whatever Resolve Document says: n8n's panel hides every parameter the credential's
		// display depends on (it takes them for the credential's own), and Resolve Document must show.
		credentials: nodeCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'nanonets' }],
		triggerPanel: {
			header: 'Listening for an export from Nanonets',
			executionsHelp: {
				inactive:
					'While you build the workflow, paste the <b>Test URL</b> into Nanonets (Workflow > Browse all export options > Webhooks) and export a document: it shows up here. Once the workflow is published, use the <b>Production URL</b>: every export then starts the workflow.',
				active:
					'The workflow is published: every export Nanonets sends to the <b>Production URL</b> starts it. Past executions are under Executions.',
			},
			activationHint: 'Publish the workflow and paste the Production URL into Nanonets, so that every export starts it.',
		},
		properties: [
			{
				displayName:
					'Copy the Production URL above and paste it in Nanonets: open the workflow, Browse all export options > Webhooks, enter the URL and a name, Create. Pick the export triggers there (On Inference, On Approval, On Rejection ...). With a Secret, add ?token= and the secret to the end of the URL.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional. When set, only requests whose URL ends in ?token= followed by this secret start the workflow; others are answered 401. Nanonets signs nothing, so a secret is the way to keep strangers out. Paste it as it is (+, / and = are fine); avoid & and #, which end the token in a URL.',
			},
			{
				displayName: 'Resolve Document',
				name: 'resolveDocument',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the whole document from Nanonets by its ID (with the credential) before starting, so the workflow gets every field, table and reviewed value. Off: the workflow gets what Nanonets sent, without any request.',
			},
			// Without display conditions: n8n's panel hides whatever the credential choice depends on.
			authenticationProperty,
			{
				...resourceLocatorProperty({
					displayName: 'Workflow',
					name: 'workflowId',
					searchListMethod: 'searchWorkflows',
					description: 'The Nanonets workflow the exported documents belong to. Empty: the workflow (or model) ID the export names.',
					idPlaceholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
				}),
				required: false,
				displayOptions: { show: RESOLVING },
			},
			{ ...outputFormatProperty, default: 'simplified' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: webhookShapeOptions,
			},
		],
	};

	methods = { listSearch: { searchWorkflows } };

	/**
	 * Nanonets has no API for its export integrations: the URL is pasted in the Nanonets app by
	 * hand, so there is nothing to register or remove there. Activation (and listening for a
	 * test event) checks instead that the credential can read the chosen workflow, so a wrong
	 * key or workflow shows at once rather than at the first export.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await checkCanResolve(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
