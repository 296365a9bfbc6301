/**
 * The Nanonets Trigger's Workflow, version 2: picked from the same searchable list as the
 * Nanonets node's, or given by ID or app address; version 1 triggers keep their text field.
 */
import type { INodeProperties, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { jsonOf, loadPackage, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const WORKFLOW = '8d5e2f9a-4c1b-4e8a-9f3d-2b6c7a1e0f45';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, workflows: [WORKFLOW], workflowNames: { [WORKFLOW]: 'Supplier invoices' } });
});
afterAll(async () => await sandbox.close());

async function triggerType(version: number): Promise<INodeType> {
	const loader = await loadPackage();
	return NodeHelpers.getVersionedNodeType(loader.nodeTypes.nanonetsTrigger.type as INodeType | IVersionedNodeType, version);
}

function shownIn(property: INodeProperties, version: number): boolean {
	const conditions = property.displayOptions?.show?.['@version'] as unknown[] | undefined;
	return !conditions || conditions.some((c) => (typeof c === 'number' ? c === version : version >= (c as { _cnd: { gte: number } })._cnd.gte));
}

test('version 2 shows a Workflow list searched by the Nanonets node\'s own method; version 1 its text field', async () => {
	const trigger = await triggerType(2);
	const description = trigger.description as INodeTypeDescription;
	expect(description.defaultVersion).toBe(2);
	const workflowIds = description.properties.filter((p) => p.name === 'workflowId');
	expect(workflowIds.find((p) => shownIn(p, 2))).toMatchObject({
		type: 'resourceLocator',
		modes: expect.arrayContaining([expect.objectContaining({ name: 'list', typeOptions: expect.objectContaining({ searchListMethod: 'searchWorkflows' }) })]),
	});
	expect(workflowIds.find((p) => shownIn(p, 1))).toMatchObject({ type: 'string' });
	const loader = await loadPackage();
	const node = loader.nodeTypes.nanonets.type as INodeType;
	expect(trigger.methods?.listSearch?.searchWorkflows).toBe(node.methods?.listSearch?.searchWorkflows);
});

test.each([
	['version 2, picked from the list', 2, { __rl: true, mode: 'list', value: WORKFLOW, cachedResultName: 'Supplier invoices' }],
	['version 2, the app address in the ID mode', 2, { __rl: true, mode: 'id', value: `https://app.nanonets.com/#/workflows/${WORKFLOW}` }],
	['version 1, a plain ID', 1, WORKFLOW],
])('%s: a test run shows the newest processed document', async (_how, typeVersion, workflowId) => {
	const documentId = sandbox.addDocument(WORKFLOW, { name: 'newest.pdf' });
	const result = await runNode({
		nodeType: 'nanonetsTrigger',
		typeVersion,
		parameters: { workflowId, event: 'documentProcessed', outputFormat: 'simplified' },
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	expect(jsonOf(result)[0]).toMatchObject({ document_id: documentId, original_document_name: 'newest.pdf' });
	expect(sandbox.requestsTo(`/api/v4/workflows/${WORKFLOW}/documents`, 'GET').length).toBeGreaterThan(0);
});
