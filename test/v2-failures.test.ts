import { binaryItem, makePdf } from './fixtures/files';
import { runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50 });
});
afterAll(async () => await sandbox.close());

describe.each(['apiKey', 'lowCodeApi'])('failures under the %s credential', (authentication) => {
	const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items'], credentials = credentialsFor(sandbox)) =>
		runNode({ parameters: { authentication, ...parameters }, items, credentials });

	test('an unknown model is a 404 naming the cause', async () => {
		for (const parameters of [
			{ resource: 'ocrModel', operation: 'get', modelId: 'no-such-model' },
			{ resource: 'imageModel', operation: 'get', modelId: 'no-such-model' },
		]) {
			const result = await run(parameters);
			expect(result.error?.httpCode).toBe('404');
			expect(result.error?.message).toMatch(/Not found.*Model does not exists/);
		}
	});

	test('an image model with fewer than two categories is refused before sending', async () => {
		const before = sandbox.state.requests.length;
		const result = await run({ resource: 'imageModel', operation: 'create', categories: 'cat, ' });
		expect(result.error?.message).toMatch(/"Categories" parameter needs at least 2 names, found 1/);
		expect(sandbox.state.requests.length).toBe(before);
	});

	test('a bad token or key is a 401 that says which credential to check', async () => {
		const credentials = credentialsFor(sandbox);
		credentials.nanonetsAppApi.apiKey = 'wrong-key';
		credentials.nanonetsLowCodeApi.apiToken = 'wrong-token';
		const result = await run({ resource: 'imageModel', operation: 'getAll', returnAll: true }, undefined, credentials);
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.message).toMatch(/refused the credentials/);
		expect(result.error?.description).toMatch(authentication === 'apiKey' ? /"Nanonets API" credential/ : /LowCodeAPI/);
	});

	test('a prediction that never completes stops at the timeout with an error naming the request_file_id', async () => {
		const result = await run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', options: { pollInterval: 0.2, timeout: 1 } },
			[binaryItem(makePdf({ spec: { never: true } }), 'stuck.pdf')],
		);
		const sent = sandbox.requestsTo('/LabelFile', 'POST').at(-1);
		expect(sent).toBeDefined();
		expect(result.error?.message).toMatch(/request_file_id [0-9a-f-]{36} was not finished within 1 second \(item 1\)/);
		expect(result.error?.description).toMatch(/Get by File/);
	});
});
