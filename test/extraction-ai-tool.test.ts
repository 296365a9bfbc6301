import { dirname, join } from 'node:path';

import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';

import { jsonOf, loadPackage, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * The extraction API's resources through n8n-core's own tool conversion, as an AI agent uses
 * them: the agent fills `$fromAI()` arguments, n8n runs the node with them.
 */

// Not exported from n8n-core's index, but a plain file of the published package (no "exports" map).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createNodeAsTool } = require(
	join(dirname(require.resolve('n8n-core')), 'execution-engine/node-execution-context/utils/create-node-as-tool'),
) as typeof import('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool');

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionSyncMs: 1 });
});
afterAll(async () => await sandbox.close());

async function nanonetsType(): Promise<INodeType> {
	return (await loadPackage()).nodeTypes.nanonets.type as INodeType;
}

/** A tool from the node with these parameters; invoking it runs the node with the agent's arguments. */
async function toolFor(name: string, parameters: Record<string, unknown>) {
	const nodeType = await nanonetsType();
	const node: INode = { id: 'tool', name, type: 'n8n-nodes-nanonets-api.nanonetsTool', typeVersion: 2, position: [0, 0], parameters };
	const tool = createNodeAsTool({
		node,
		nodeType,
		handleToolInvocation: async (args: Record<string, unknown>) => {
			const filled = Object.fromEntries(
				Object.entries(parameters).map(([key, value]) => {
					const argument = typeof value === 'string' ? /\$fromAI\('(\w+)'/.exec(value)?.[1] : undefined;
					return [key, argument ? args[argument] : value];
				}),
			);
			const result = await runNode({ parameters: filled, credentials: credentialsFor(sandbox), typeVersion: 2 });
			return JSON.stringify(result.error ? { error: result.error.message } : jsonOf(result));
		},
	}).response;
	return { tool, node, nodeType };
}

test('Extraction > Extract as a tool: the agent gives a URL and the fields it wants', async () => {
	const { tool, node, nodeType } = await toolFor('Read invoice', {
		resource: 'extraction',
		operation: 'extract',
		inputType: 'url',
		documentUrl: "={{ $fromAI('documentUrl', 'The public URL of the document to read', 'string') }}",
		outputFormats: ['json'],
		fields: "={{ $fromAI('fields', 'Comma-separated names of the fields to extract', 'string') }}",
	});
	expect(tool.name).toBe('Read_invoice');
	expect(tool.description).toEqual(NodeHelpers.getToolDescriptionForNode(node, nodeType));
	expect(Object.keys(tool.schema.shape).sort()).toEqual(['documentUrl', 'fields']);
	expect(tool.schema.safeParse({ documentUrl: 'https://example.com/a.pdf' }).success).toBe(false);

	const answer = JSON.parse(String(await tool.invoke({ documentUrl: 'https://example.com/invoice-3.pdf', fields: 'invoice_number, seller_name' })));
	expect(answer).toEqual([
		expect.objectContaining({ status: 'completed', filename: 'invoice-3.pdf', json: { invoice_number: expect.stringMatching(/^INV-/), seller_name: 'Acme Supplies Ltd' } }),
	]);
});

test('Chat > Complete as a tool: the agent asks a question about a document', async () => {
	const { tool } = await toolFor('Ask about a document', {
		resource: 'chat',
		operation: 'complete',
		inputType: 'url',
		documentUrl: "={{ $fromAI('documentUrl', 'The public URL of the document', 'string') }}",
		prompt: "={{ $fromAI('question', 'The question about the document', 'string') }}",
	});
	expect(Object.keys(tool.schema.shape).sort()).toEqual(['documentUrl', 'question']);
	const answer = JSON.parse(String(await tool.invoke({ documentUrl: 'https://example.com/contract.pdf', question: 'When does it end?' })));
	expect(answer).toEqual([expect.objectContaining({ answer: expect.stringContaining('When does it end?'), model: 'nanonets/Nanonets-OCR-s' })]);
});

test('an agent\'s bad argument comes back as a clear error, not a crash', async () => {
	const { tool } = await toolFor('Classify document', {
		resource: 'documentClassification',
		operation: 'classify',
		inputType: 'url',
		documentUrl: "={{ $fromAI('documentUrl', 'The public URL of the document', 'string') }}",
		categories: { category: [{ name: 'Invoice' }, { name: 'Contract' }] },
	});
	const answer = JSON.parse(String(await tool.invoke({ documentUrl: 'not a url' })));
	expect(answer.error).toMatch(/"Document URL" parameter is not an http\(s\) URL/);
	const good = JSON.parse(String(await tool.invoke({ documentUrl: 'https://example.com/contract-2.pdf' })));
	expect(good).toEqual([expect.objectContaining({ category: 'Contract', filename: 'contract-2.pdf' })]);
});
