import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

describe('a LowCodeAPI proxy that only takes the old URL format', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await openSandbox({ lowCodeFormats: ['old'], processingMs: 50 });
	});
	afterAll(async () => await sandbox.close());

	test('the node falls back to the old format, gets the right answer, and goes straight to it next time', async () => {
		const first = await runNode({
			parameters: { authentication: 'lowCodeApi', resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices' },
			credentials: credentialsFor(sandbox),
		});
		expect(first.error).toBeUndefined();
		expect(jsonOf(first)[0]).toMatchObject({ model_id: 'ocr-invoices', state: 5 });
		expect(sandbox.state.requests.map((r) => [r.via, r.status])).toEqual([
			['direct', 404],
			['lowcode-old', 200],
		]);
		expect(sandbox.state.requests[1].path).toBe('/nanonets/api/v2/ocr/model/model_id');

		sandbox.reset();
		const second = await runNode({
			parameters: {
				authentication: 'lowCodeApi',
				resource: 'ocrPrediction',
				operation: 'predict',
				modelId: 'ocr-invoices',
				inputType: 'binary',
				outputFormat: 'simplified',
				options: { pollInterval: 0.1 },
			},
			items: [binaryItem(makePdf({ spec: { fields: { invoice_number: 'OLD-1' }, rows: [] } }), 'old.pdf')],
			credentials: credentialsFor(sandbox),
		});
		expect(second.error).toBeUndefined();
		expect(jsonOf(second)[0].fields).toEqual({ invoice_number: 'OLD-1' });
		expect(sandbox.state.requests.every((r) => r.via === 'lowcode-old')).toBe(true);
	});
});

describe('a LowCodeAPI proxy that does not forward v4 endpoints', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await openSandbox({ lowCodeCoversV4: false });
	});
	afterAll(async () => await sandbox.close());

	test('a Document operation fails with a 404 that says to use the API key credential', async () => {
		const result = await runNode({
			parameters: { authentication: 'lowCodeApi', resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId: 'doc-1' },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toMatch(/LowCodeAPI may not forward Nanonets' v4 workflow endpoints: use the "Nanonets API" credential for Document operations/);
		// The same proxy serves v2 operations.
		const v2 = await runNode({
			parameters: { authentication: 'lowCodeApi', resource: 'imageModel', operation: 'get', modelId: 'ic-animals' },
			credentials: credentialsFor(sandbox),
		});
		expect(jsonOf(v2)[0]).toMatchObject({ model_id: 'ic-animals' });
	});
});
