import { NodeHelpers, type INode, type INodeTypeDescription } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, loadPackage, runNode } from './engine/harness';
import { testCredential } from './engine/editor';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * The extraction API's credential: its test answers in our words, the node offers it (and only
 * it) for the extraction resources, and the v4/v2 resources keep their own credentials.
 */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox();
});
afterAll(async () => await sandbox.close());

test('the credential test: accepted, a refused key, a wrong Base URL', async () => {
	const { nanonetsExtractionApi } = credentialsFor(sandbox);
	expect(await testCredential('nanonetsExtractionApi', nanonetsExtractionApi)).toEqual({ status: 'OK', message: 'Connection successful!' });
	const refused = await testCredential('nanonetsExtractionApi', { ...nanonetsExtractionApi, apiKey: 'not-the-key' });
	expect(refused.status).toBe('Error');
	expect(refused.message).toMatch(/^The API key was refused by the Nanonets extraction API/);
	const wrongPlace = await testCredential('nanonetsExtractionApi', { ...nanonetsExtractionApi, baseUrl: `${sandbox.url}/extraction-api/nowhere` });
	expect(wrongPlace.message).toMatch(/^No Nanonets extraction API answered at this Base URL/);
	// The test request is the cheapest one: one line of the results list.
	const [request] = sandbox.requestsTo('/extraction-api/api/v1/extract/results', 'GET');
	expect(request.query).toEqual({ page: '1', page_size: '1' });
});

describe('which credential the editor offers', () => {
	let description: INodeTypeDescription;
	beforeAll(async () => {
		description = ((await loadPackage()).nodeTypes.nanonets.type as { description: INodeTypeDescription }).description;
	});

	/** The credential types n8n shows for these parameters, as the editor decides it. */
	function offered(parameters: Record<string, unknown>, typeVersion = 2): string[] {
		const node = { typeVersion, parameters } as unknown as INode;
		const withDefaults = NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node, description) ?? {};
		return (description.credentials ?? [])
			.filter((credential) => NodeHelpers.displayParameter(withDefaults, credential, node, description))
			.map((credential) => credential.name);
	}

	test.each([
		[{ resource: 'extraction', operation: 'extract' }, ['nanonetsExtractionApi']],
		[{ resource: 'documentClassification', operation: 'classify' }, ['nanonetsExtractionApi']],
		[{ resource: 'chat', operation: 'complete' }, ['nanonetsExtractionApi']],
		// A stale Authentication value saved with the node changes nothing for these resources.
		[{ resource: 'extraction', operation: 'getAll', authentication: 'lowCodeApi' }, ['nanonetsExtractionApi']],
		[{ resource: 'document', operation: 'upload' }, ['nanonetsAppApi']],
		[{ resource: 'document', operation: 'upload', authentication: 'lowCodeApi' }, ['nanonetsLowCodeApi']],
		[{ resource: 'ocrPrediction', operation: 'predict', authentication: 'apiKey' }, ['nanonetsAppApi']],
	])('%j -> %j', (parameters, expected) => {
		expect(offered(parameters)).toEqual(expected);
	});

	test('version 1 never offers the extraction credential', () => {
		expect(offered({ resource: 'document', operation: 'upload' }, 1)).toEqual(['nanonetsAppApi']);
		expect(offered({ resource: 'extraction', operation: 'extract' }, 1)).not.toContain('nanonetsExtractionApi');
	});

	test('Authentication is hidden for the extraction resources', () => {
		const authentication = description.properties.find((p) => p.name === 'authentication')!;
		const node = { typeVersion: 2, parameters: {} } as unknown as INode;
		expect(NodeHelpers.displayParameter({ resource: 'extraction' }, authentication, node, description)).toBe(false);
		expect(NodeHelpers.displayParameter({ resource: 'document' }, authentication, node, description)).toBe(true);
	});
});

test('an extraction resource in a version 1 node is refused before anything is sent', async () => {
	sandbox.reset();
	const result = await runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary' },
		items: [binaryItem(makePdf(), 'a.pdf')],
		credentials: credentialsFor(sandbox),
		typeVersion: 1,
	});
	// Version 1 has no such resource: n8n cannot even read its operation.
	expect(result.error?.message).toMatch(/operation|version 2/);
	expect(sandbox.state.requests).toHaveLength(0);
});

test('v4 and extraction resources in one workflow each use their own credential and base URL', async () => {
	sandbox.reset();
	const extraction = await runNode({
		parameters: { resource: 'extraction', operation: 'getAll', returnAll: true },
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
	});
	expect(extraction.error).toBeUndefined();
	const upload = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', inputType: 'binary', waitForCompletion: false },
		items: [binaryItem(makePdf(), 'a.pdf')],
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
	});
	expect(upload.error).toBeUndefined();
	expect(jsonOf(upload)[0].document_id).toEqual(expect.any(String));
	const extractionCalls = sandbox.state.requests.filter((r) => r.via === 'extraction');
	expect(extractionCalls.length).toBeGreaterThan(0);
	expect(extractionCalls.every((r) => r.status === 200)).toBe(true);
	expect(sandbox.state.requests.filter((r) => r.path.startsWith('/api/v4/')).map((r) => r.status)).toEqual([200]);
});
