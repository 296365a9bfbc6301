/**
 * Runs a whole workflow (an example from examples/) inside n8n's engine, from one of its nodes
 * onwards: this package's nodes run for real against the sandbox, n8n's IF node runs as the
 * stand-in below, and nodes that need a service we do not have (mail, forms) are given pinned
 * output, as a user pins data in the editor.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IPinData,
	type IRun,
	type IVersionedNodeType,
	type IConnections,
} from 'n8n-workflow';

import { additionalDataFor, loadPackage, PACKAGE_NAME, PackageNodeTypes, TestCredentialsHelper } from './harness';

/**
 * n8n's IF node (version 2.x), whose package (n8n-nodes-base) is too large to install for tests.
 * Like the real node, it leaves the comparison to n8n itself: reading a `filter` parameter with
 * `extractValue` makes n8n-core evaluate the conditions (n8n-workflow's `executeFilter`).
 */
const ifNode: INodeType = {
	description: {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Route items to different branches (true/false)',
		defaults: { name: 'If' },
		inputs: ['main'],
		outputs: ['main', 'main'],
		outputNames: ['true', 'false'],
		properties: [
			{
				displayName: 'Conditions',
				name: 'conditions',
				type: 'filter',
				default: {},
				typeOptions: { filter: { caseSensitive: '={{!$parameter.options.ignoreCase}}', typeValidation: 'strict', version: 2 } },
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	async execute(this: IExecuteFunctions) {
		const trueItems: INodeExecutionData[] = [];
		const falseItems: INodeExecutionData[] = [];
		this.getInputData().forEach((item, itemIndex) => {
			const pass = this.getNodeParameter('conditions', itemIndex, false, { extractValue: true }) as boolean;
			(pass ? trueItems : falseItems).push({ ...item, pairedItem: { item: itemIndex } });
		});
		return [trueItems, falseItems];
	},
};

/** A node of a service the tests cannot reach: it must be given pinned output. */
function pinOnly(type: string): INodeType {
	return {
		description: {
			displayName: type,
			name: type,
			group: ['transform'],
			version: [1, 1.1, 2, 2.1, 2.2, 3, 3.4],
			description: 'Stands for a node that is not installed in tests',
			defaults: { name: type },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			throw new Error(`${type} cannot run in tests: pin its output`);
		},
	};
}

class WorkflowNodeTypes implements INodeTypes {
	private readonly standIns: Record<string, INodeType> = { 'n8n-nodes-base.if': ifNode };

	constructor(private readonly ours: PackageNodeTypes) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		if (nodeType.startsWith(`${PACKAGE_NAME}.`)) return this.ours.getByName(nodeType);
		return this.standIns[nodeType] ?? pinOnly(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		if (nodeType.startsWith(`${PACKAGE_NAME}.`)) return this.ours.getByNameAndVersion(nodeType, version);
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes() {
		return this.ours.getKnownTypes();
	}
}

export interface WorkflowRunOptions {
	nodes: INode[];
	connections: IConnections;
	/** The node the run starts at, and its input items. */
	startNode: string;
	items: INodeExecutionData[];
	/** Output pinned per node name, as in the editor. */
	pinData?: IPinData;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

/** Runs the workflow from `startNode` to its end; returns n8n's run data. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<IRun> {
	const loader = await loadPackage();
	const nodeTypes = new WorkflowNodeTypes(new PackageNodeTypes(loader));
	const workflowData = { id: 'example', name: 'example', active: false, nodes: options.nodes, connections: options.connections, settings: { executionOrder: 'v1' as const } };
	const workflow = new Workflow({ ...workflowData, nodeTypes, pinData: options.pinData });
	const hooks = new ExecutionLifecycleHooks('manual', 'example-run', workflowData as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const additionalData = additionalDataFor(new TestCredentialsHelper(loader, options.credentials), hooks);
	const start = workflow.getNode(options.startNode);
	if (!start) throw new Error(`No node ${options.startNode}`);
	const runExecutionData = createRunExecutionData({
		resultData: { pinData: options.pinData },
		executionData: { nodeExecutionStack: [{ node: start, data: { main: [options.items] }, source: null }] },
	});
	const running = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	try {
		return await Promise.race([running, finished]);
	} catch {
		return await finished;
	}
}

/** A node's output items on one of its outputs (0: the first), from a run. */
export function outputOf(run: IRun, nodeName: string, output = 0): INodeExecutionData[] {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[output] ?? [];
}
