/**
 * The Nanonets Webhook Trigger as n8n runs it for one request: n8n-core's WebhookContext with the
 * request and response objects n8n passes, `webhook()` of the node type, and one Workflow object
 * whose static data persists between deliveries (n8n saves it with the workflow).
 */
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { additionalDataFor, loadPackage, PACKAGE_NAME, PackageNodeTypes, TestCredentialsHelper } from './harness';

type CredentialValues = ConstructorParameters<typeof TestCredentialsHelper>[1];

export interface DeliveryRequest {
	body?: unknown;
	/** The body as bytes, as n8n keeps it next to the parsed one; defaults to the JSON of `body`. */
	rawBody?: Buffer | string;
	query?: IDataObject;
	headers?: Record<string, string>;
	/** `manual`: the editor's test URL; `webhook`: an active workflow's production URL. */
	mode?: WorkflowExecuteMode;
}

export interface Delivery {
	/** What the node answered Nanonets, and when (ms). */
	status?: number;
	answer?: unknown;
	answeredAt?: number;
	/** When `webhook()` returned (ms). */
	returnedAt: number;
	result?: IWebhookResponseData;
	/** The items that start the workflow ([] when it does not start). */
	items: IDataObject[];
	started: boolean;
	error?: Error;
}

export interface WebhookTrigger {
	deliver(request: DeliveryRequest): Promise<Delivery>;
	/** The node's static data as n8n would save it. */
	staticData(): IDataObject;
	/** The `create` lifecycle method (activation). */
	activate(): Promise<boolean>;
}

let counter = 0;

export interface TriggerOptions {
	/** Share a workflow id with another trigger: as n8n, which builds a new Workflow per request. */
	workflowId?: string;
	/** The static data as n8n saved it (after a restart, or loaded by another request). */
	staticData?: IDataObject;
}

export async function webhookTrigger(parameters: INodeParameters, credentials: CredentialValues, options: TriggerOptions = {}): Promise<WebhookTrigger> {
	const loader = await loadPackage();
	const nodeTypes = new PackageNodeTypes(loader);
	const credentialType = parameters.authentication === 'lowCodeApi' ? 'nanonetsLowCodeApi' : 'nanonetsAppApi';
	const node: INode = {
		id: 'webhook-trigger',
		name: 'Nanonets Webhook Trigger',
		type: `${PACKAGE_NAME}.nanonetsWebhookTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f1c2a8e-2f4b-4f7e-9a51-5b0e2c7d9a10',
		parameters,
		credentials: { [credentialType]: { id: '1', name: 'Nanonets test credential' } },
	};
	// Each trigger its own workflow: the node remembers recent deliveries per workflow and node.
	const workflowData = { id: options.workflowId ?? `webhook-workflow-${++counter}`, name: 'webhook', active: true, nodes: [node], connections: {}, settings: {} };
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData: JSON.parse(JSON.stringify(options.staticData ?? {})) });
	const type = nodeTypes.getByNameAndVersion(node.type, 1) as INodeType;
	const webhookDescription = type.description.webhooks![0];

	const additionalData = (extra: IDataObject = {}) => {
		const hooks = new ExecutionLifecycleHooks('webhook', `webhook-${++counter}`, workflowData as never);
		return Object.assign(additionalDataFor(new TestCredentialsHelper(loader, credentials), hooks), extra);
	};

	return {
		async deliver(request) {
			const body = request.body;
			const rawBody = request.rawBody ?? (body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
			const headers: Record<string, string> = { 'content-type': 'application/json', ...(request.headers ?? {}) };
			if (rawBody !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(rawBody));
			const delivery: Delivery = { items: [], started: false, returnedAt: 0 };
			const response = {
				status(code: number) {
					delivery.status = code;
					return response;
				},
				json(answer: unknown) {
					delivery.answer = answer;
					delivery.answeredAt ??= Date.now();
					delivery.status ??= 200;
					return response;
				},
				send(answer: unknown) {
					return response.json(answer);
				},
				end() {
					delivery.answeredAt ??= Date.now();
					return response;
				},
				setHeader() {
					return response;
				},
			};
			const httpRequest = { body, rawBody, query: request.query ?? {}, headers, params: {} };
			const mode = request.mode ?? 'webhook';
			const webhookData = {
				httpMethod: 'POST',
				node: node.name,
				path: `${node.webhookId}/${webhookDescription.path}`,
				webhookDescription,
				workflowId: workflow.id,
				workflowExecuteAdditionalData: {},
				isTest: mode === 'manual',
			} as unknown as IWebhookData;
			const context = new WebhookContext(workflow, node, additionalData({ httpRequest, httpResponse: response }), mode, webhookData, [], null);
			try {
				delivery.result = await type.webhook!.call(context);
			} catch (error) {
				delivery.error = error as Error;
			}
			delivery.returnedAt = Date.now();
			const started = delivery.result?.workflowData;
			delivery.started = Array.isArray(started) && started.length > 0 && started[0].length > 0;
			delivery.items = (started?.[0] ?? []).map((item) => item.json);
			return delivery;
		},
		staticData() {
			return JSON.parse(JSON.stringify(workflow.staticData, (key, value) => (key === '__dataChanged' ? undefined : value))) as IDataObject;
		},
		async activate() {
			const { HookContext } = await import('n8n-core');
			const webhookData = { httpMethod: 'POST', node: node.name, path: webhookDescription.path, webhookDescription, workflowId: workflow.id } as unknown as IWebhookData;
			const context = new HookContext(workflow, node, additionalData(), 'trigger', 'activate', webhookData);
			return await type.webhookMethods!.default.create.call(context);
		},
	};
}
