import { dirname, join } from 'node:path';

import { NodeHelpers, type INode, type INodeProperties, type INodeType } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, loadPackage, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * The Nanonets node is `usableAsTool`: n8n then offers it to AI agents, which choose an
 * operation by its `action` text and fill parameters through `$fromAI()`. These tests check
 * what an agent gets to read, and that n8n-core's own tool conversion accepts the node.
 */

// Not exported from n8n-core's index, but a plain file of the published package (no "exports" map).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createNodeAsTool } = require(
	join(dirname(require.resolve('n8n-core')), 'execution-engine/node-execution-context/utils/create-node-as-tool'),
) as typeof import('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool');

/** Parameters whose name says everything an agent needs. */
const SELF_EXPLANATORY = new Set(['authentication', 'resource', 'operation', 'options']);

async function nanonetsType(): Promise<INodeType> {
	const loader = await loadPackage();
	return loader.nodeTypes.nanonets.type as INodeType;
}

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());

test('the node is offered as a tool with a description', async () => {
	const { description } = await nanonetsType();
	expect(description.usableAsTool).toBe(true);
	expect(description.description.length).toBeGreaterThan(20);
});

test('every operation has an action and a description for the agent to choose by', async () => {
	const { description } = await nanonetsType();
	const operationLists = description.properties.filter((property) => property.name === 'operation');
	expect(operationLists.length).toBeGreaterThan(0);
	for (const list of operationLists) {
		for (const option of list.options ?? []) {
			const operation = option as { name: string; action?: string; description?: string };
			expect({ operation: operation.name, action: operation.action }).toEqual({ operation: operation.name, action: expect.stringMatching(/\w+ \w+/) });
			expect({ operation: operation.name, description: operation.description }).toEqual({ operation: operation.name, description: expect.any(String) });
		}
	}
	// Actions are how an agent's tool list names them: they must not repeat.
	const actions = operationLists.flatMap((list) => (list.options ?? []).map((option) => `${JSON.stringify(list.displayOptions)}|${(option as { action?: string }).action}`));
	expect(new Set(actions).size).toBe(actions.length);
});

test('every parameter explains itself to an agent', async () => {
	const { description } = await nanonetsType();
	const unexplained = (properties: INodeProperties[]): string[] =>
		properties.flatMap((property) => {
			if (property.type === 'notice' || SELF_EXPLANATORY.has(property.name)) return [];
			const explained = Boolean(property.description || property.hint) ||
				(property.type === 'options' && (property.options ?? []).every((option) => 'description' in option && option.description));
			const nested = (property.options ?? []).flatMap((option) =>
				'displayName' in option && 'type' in option ? unexplained([option as INodeProperties]) : [],
			);
			return explained ? nested : [property.name, ...nested];
		});
	expect(unexplained(description.properties)).toEqual([]);
});

test('n8n-core turns the node into a tool whose arguments come from $fromAI()', async () => {
	const nodeType = await nanonetsType();
	const node: INode = {
		id: 'tool',
		name: 'Get Nanonets document',
		type: 'n8n-nodes-nanonets-api.nanonetsTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'document',
			operation: 'get',
			workflowId: 'wf-invoices',
			documentId: "={{ $fromAI('documentId', 'The document_id of the Nanonets document', 'string') }}",
			outputFormat: 'simplified',
		},
	};

	const uploaded = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', outputFormat: 'document' },
		items: [binaryItem(makePdf({ spec: { fields: { invoice_number: 'INV-42' } } }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const documentId = String(jsonOf(uploaded)[0].document_id);

	// n8n runs the node with the agent's arguments in place of the $fromAI() calls.
	const tool = createNodeAsTool({
		node,
		nodeType,
		handleToolInvocation: async (args: Record<string, unknown>) => {
			const result = await runNode({
				parameters: { ...node.parameters, documentId: String(args.documentId) },
				credentials: credentialsFor(sandbox),
			});
			return JSON.stringify(jsonOf(result));
		},
	}).response;

	expect(tool.name).toBe('Get_Nanonets_document');
	expect(tool.description).toEqual(NodeHelpers.getToolDescriptionForNode(node, nodeType));
	expect(tool.description).toMatch(/Nanonets/);
	expect(Object.keys(tool.schema.shape)).toEqual(['documentId']);
	expect(tool.schema.safeParse({}).success).toBe(false);

	const answer = JSON.parse(String(await tool.invoke({ documentId })));
	expect(answer).toEqual([expect.objectContaining({ document_id: documentId, fields: { invoice_number: 'INV-42' } })]);
});
