/**
 * An active Nanonets Trigger as n8n keeps one: one Workflow object whose polls (through n8n-core's
 * PollContext and TriggersAndPollers) all see the same static data, and may overlap, as n8n
 * starts a poll on schedule without waiting for the previous one. `restart()` builds a new
 * Workflow from the static data as n8n saved it, as after an n8n restart.
 */
import { ExecutionLifecycleHooks, PollContext, TriggersAndPollers } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { additionalDataFor, loadPackage, PACKAGE_NAME, PackageNodeTypes, TestCredentialsHelper } from './harness';

type CredentialValues = ConstructorParameters<typeof TestCredentialsHelper>[1];

export interface ActivePoll {
	items: IDataObject[];
	error?: Error;
}

export interface ActiveTrigger {
	/** One poll; its items' json, or the error it reported. */
	poll(): Promise<ActivePoll>;
	/** The static data as n8n saved it: after the last poll that emitted (n8n saves it in `__emit`). */
	saved(): IDataObject;
	/** The static data in memory now, as a save at this moment would store it. */
	current(): IDataObject;
	/** A new Workflow object from the saved static data, as after an n8n restart. */
	restart(): void;
}

let counter = 0;

export async function activeTrigger(
	parameters: INodeParameters,
	credentials: CredentialValues,
	staticData: IDataObject = {},
): Promise<ActiveTrigger> {
	const loader = await loadPackage();
	const nodeTypes = new PackageNodeTypes(loader);
	const credentialType = parameters.authentication === 'lowCodeApi' ? 'nanonetsLowCodeApi' : 'nanonetsAppApi';
	const node: INode = {
		id: 'active-trigger',
		name: 'Nanonets Trigger',
		type: `${PACKAGE_NAME}.nanonetsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [credentialType]: { id: '1', name: 'Nanonets test credential' } },
	};
	const workflowData = { id: 'active-workflow', name: 'active', active: true, nodes: [node], connections: {}, settings: {} };
	const build = (data: IDataObject) => new Workflow({ ...workflowData, nodeTypes, staticData: JSON.parse(JSON.stringify(data)) });
	let workflow = build(staticData);

	const snapshot = () =>
		JSON.parse(JSON.stringify(workflow.staticData, (key, value) => (key === '__dataChanged' ? undefined : value))) as IDataObject;
	let persisted = snapshot();

	return {
		async poll() {
			const hooks = new ExecutionLifecycleHooks('trigger', `active-${++counter}`, workflowData as never);
			const additionalData = additionalDataFor(new TestCredentialsHelper(loader, credentials), hooks);
			let emitted: INodeExecutionData[][] | undefined;
			const context = new PollContext(
				workflow,
				node,
				additionalData,
				'trigger',
				'activate',
				(data) => {
					emitted = data;
					persisted = snapshot();
				},
				(error) => {
					throw error;
				},
			);
			try {
				const response = await new TriggersAndPollers().runPollFunction(workflow, node, context);
				if (response !== null) context.__emit(response);
			} catch (error) {
				return { items: [], error: error as Error };
			}
			return { items: (emitted?.[0] ?? []).map((item) => item.json) };
		},
		saved: () => persisted,
		current: snapshot,
		restart() {
			workflow = build(persisted);
		},
	};
}
