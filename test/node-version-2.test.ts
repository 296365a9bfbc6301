/**
 * Node version 2: Simplified by default, image models picked from a list, app addresses as IDs;
 * workflows saved with version 1 run exactly as before.
 */
import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { searchList } from './engine/editor';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const WORKFLOW = '8d5e2f9a-4c1b-4e8a-9f3d-2b6c7a1e0f45';
const MODEL = '5b0f6c1e-2d3a-4f5b-8c9d-0e1f2a3b4c5d';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({
		processingMs: 0,
		perPageMs: 0,
		workflows: [WORKFLOW, 'wf-receipts', 'wf-unnamed'],
		workflowNames: { [WORKFLOW]: 'Supplier invoices', 'wf-receipts': 'Expense receipts' },
		models: [
			{ model_id: MODEL, model_type: 'classification', categories: ['cat', 'dog'], state: 5 },
			{ model_id: 'ic-receipts', model_type: 'classification', categories: ['receipt', 'invoice'], state: 0 },
			{ model_id: 'ocr-invoices', model_type: 'ocr', categories: ['invoice_number'], state: 5 },
		],
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const spec = { pages: [{ fields: { invoice_number: 'INV-7' }, rows: [['Lamp', '1', '25.00', '25.00']] }] };

test('a version 1 node saved with version 1 parameters runs as before: Document output', async () => {
	const documentId = sandbox.addDocument(WORKFLOW, { spec, name: 'lamp.pdf' });
	const result = await runNode({
		typeVersion: 1,
		parameters: { resource: 'document', operation: 'get', workflowId: WORKFLOW, documentId },
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(result);
	expect(document).toMatchObject({ document_id: documentId, status: 'success', original_document_name: 'lamp.pdf' });
	expect(document.pages).toHaveLength(1);
	expect(document).not.toHaveProperty('fields');
});

test('a version 2 node outputs Simplified unless told otherwise', async () => {
	const documentId = sandbox.addDocument(WORKFLOW, { spec, name: 'lamp.pdf' });
	const get = (extra: Record<string, unknown> = {}) =>
		runNode({
			typeVersion: 2,
			parameters: { resource: 'document', operation: 'get', workflowId: WORKFLOW, documentId, ...extra },
			credentials: credentialsFor(sandbox),
		});
	const [simplified] = jsonOf(await get());
	expect(simplified).toMatchObject({ document_id: documentId, status: 'success', fields: { invoice_number: 'INV-7' } });
	expect(simplified).not.toHaveProperty('pages');
	const [document] = jsonOf(await get({ outputFormat: 'document' }));
	expect(document).toHaveProperty('pages');
});

test.each([
	['v4 Upload', { resource: 'document', operation: 'upload', workflowId: WORKFLOW }],
	['v2 OCR Predict', { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices' }],
])('%s: Simplified by default in version 2, Document in version 1', async (_name, parameters) => {
	const run = (typeVersion: number) =>
		runNode({
			typeVersion,
			parameters: { ...parameters, inputType: 'binary', options: { pollInterval: 0.1 } },
			items: [binaryItem(makePdf({ spec }), 'lamp.pdf')],
			credentials: credentialsFor(sandbox),
		});
	const [simplified] = jsonOf(await run(2));
	expect(simplified).toMatchObject({ status: 'success', original_document_name: 'lamp.pdf', fields: { invoice_number: 'INV-7' } });
	const [document] = jsonOf(await run(1));
	expect(document).not.toHaveProperty('fields');
});

describe.each([1, 2])('version %i: IDs from a pasted Nanonets app address', (typeVersion) => {
	test('the workflow ID is taken from the workflow page\'s address', async () => {
		const documentId = sandbox.addDocument(WORKFLOW, { spec });
		const result = await runNode({
			typeVersion,
			parameters: {
				resource: 'document',
				operation: 'get',
				workflowId: `https://app.nanonets.com/#/workflows/${WORKFLOW}/documents?tab=all`,
				documentId,
				outputFormat: 'simplified',
			},
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ document_id: documentId });
	});

	test('the model ID is taken from a model page\'s address', async () => {
		const result = await runNode({
			typeVersion,
			parameters: { resource: 'imageModel', operation: 'get', modelId: `https://app.nanonets.com/#/classification/${MODEL}/overview` },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ model_id: MODEL });
	});

	test('an address without an ID is refused before anything is sent', async () => {
		const result = await runNode({
			typeVersion,
			parameters: { resource: 'document', operation: 'getAll', workflowId: 'https://app.nanonets.com/#/workflows' },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toMatch(/"Workflow ID" parameter is an address without a workflow ID in it \(item 1\)/);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});

describe('version 2: the image Model picker', () => {
	test('lists the account\'s image models by their categories and state, and searches them', async () => {
		const all = await searchList({ method: 'searchImageModels', parameters: { resource: 'imageModel', operation: 'get' }, credentials: credentialsFor(sandbox) });
		expect(all.results).toEqual([
			{ name: 'cat, dog (ready)', value: MODEL },
			{ name: 'receipt, invoice (created)', value: 'ic-receipts' },
		]);
		const found = await searchList({
			method: 'searchImageModels',
			filter: 'RECEIPT',
			parameters: { resource: 'imageModel', operation: 'get' },
			credentials: credentialsFor(sandbox),
		});
		expect(found.results.map((r) => r.value)).toEqual(['ic-receipts']);
	});

	test('the LowCodeAPI credential lists the same models', async () => {
		const all = await searchList({
			method: 'searchImageModels',
			parameters: { authentication: 'lowCodeApi', resource: 'imageModel', operation: 'get' },
			credentials: credentialsFor(sandbox),
		});
		expect(all.results.map((r) => r.value)).toEqual([MODEL, 'ic-receipts']);
	});

	test.each([
		['picked from the list', { __rl: true, mode: 'list', value: MODEL, cachedResultName: 'cat, dog (ready)' }],
		['given by ID', { __rl: true, mode: 'id', value: MODEL }],
		['given by the model page\'s address', { __rl: true, mode: 'id', value: `https://app.nanonets.com/#/classification/${MODEL}` }],
		['as a plain string, as saved before', MODEL],
	])('a model %s is used', async (_how, modelId) => {
		const result = await runNode({
			typeVersion: 2,
			parameters: { resource: 'imageModel', operation: 'get', modelId },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ model_id: MODEL, state: 5 });
	});

	test('an empty pick is refused by n8n before anything is sent', async () => {
		const run = runNode({
			typeVersion: 2,
			parameters: { resource: 'imageModel', operation: 'get', modelId: { __rl: true, mode: 'list', value: '' } },
			credentials: credentialsFor(sandbox),
		});
		await expect(run).rejects.toThrow(/Parameter "Model" is required/);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});

describe('version 2: the Workflow picker', () => {
	const list = (filter?: string) =>
		searchList({ method: 'searchWorkflows', filter, parameters: { resource: 'document', operation: 'upload' }, credentials: credentialsFor(sandbox) });

	test.each(['wrapped', 'array'])('lists the account\'s workflows sorted by name (%s answer) and searches them', async (shape) => {
		sandbox.config.workflowListShape = shape;
		try {
			// Sorted by name, whatever order Nanonets lists them in.
			expect((await list()).results).toEqual([
				{ name: 'Expense receipts', value: 'wf-receipts' },
				{ name: 'Supplier invoices', value: WORKFLOW },
				// A workflow without a name is shown by its ID.
				{ name: 'wf-unnamed', value: 'wf-unnamed' },
			]);
			expect((await list('invoice')).results.map((r) => r.value)).toEqual([WORKFLOW]);
		} finally {
			delete sandbox.config.workflowListShape;
		}
	});

	test('a workflow picked from the list is used', async () => {
		const documentId = sandbox.addDocument(WORKFLOW, { spec, name: 'picked.pdf' });
		const result = await runNode({
			typeVersion: 2,
			parameters: {
				resource: 'document',
				operation: 'get',
				workflowId: { __rl: true, mode: 'list', value: WORKFLOW, cachedResultName: 'Supplier invoices' },
				documentId,
			},
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ document_id: documentId, original_document_name: 'picked.pdf' });
		expect(sandbox.requestsTo(`/api/v4/workflows/${WORKFLOW}/documents/${documentId}`, 'GET')).toHaveLength(1);
	});
});
