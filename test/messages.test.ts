/** Messages a user reads: credential tests, timeouts, a missing workflow, the editor's hints. */
import { binaryItem, makePdf } from './fixtures/files';
import { loadPackage, runNode } from './engine/harness';
import { testCredential } from './engine/editor';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, workflows: ['wf-invoices'] });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('credential tests answer in our words', () => {
	test('the API key credential: accepted, refused, wrong Base URL', async () => {
		const { nanonetsAppApi } = credentialsFor(sandbox);
		expect(await testCredential('nanonetsAppApi', nanonetsAppApi)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential('nanonetsAppApi', { ...nanonetsAppApi, apiKey: 'not-the-key' })).toEqual({
			status: 'Error',
			message: 'The API key was refused by Nanonets: check it under Account > API Keys',
		});
		const wrongPlace = await testCredential('nanonetsAppApi', { ...nanonetsAppApi, baseUrl: `${sandbox.url}/somewhere-else` });
		expect(wrongPlace.message).toMatch(/^No Nanonets API answered at this Base URL/);
	});

	test('the LowCodeAPI credential: accepted, refused', async () => {
		const { nanonetsLowCodeApi } = credentialsFor(sandbox);
		expect((await testCredential('nanonetsLowCodeApi', nanonetsLowCodeApi)).status).toBe('OK');
		expect(await testCredential('nanonetsLowCodeApi', { ...nanonetsLowCodeApi, apiToken: 'wrong' })).toEqual({
			status: 'Error',
			message: 'The API token was refused by LowCodeAPI: check it in your LowCodeAPI account',
		});
	});
});

describe.each([
	['v4 Upload', { resource: 'document', operation: 'upload', workflowId: 'wf-invoices' }],
	['v2 OCR Predict', { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices' }],
])('%s waiting', (_name, parameters) => {
	test('a one-second Timeout says "within 1 second"', async () => {
		const result = await runNode({
			parameters: { ...parameters, inputType: 'binary', options: { pollInterval: 0.2, timeout: 1 } },
			items: [binaryItem(makePdf({ spec: { never: true } }), 'slow.pdf')],
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toMatch(/ within 1 second \(item 1\)$/);
	});
});

describe('a workflow that is not found', () => {
	test('the error names the workflow ID and says where to find the right one', async () => {
		const result = await runNode({
			parameters: { resource: 'document', operation: 'getAll', workflowId: 'wf-typo' },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toContain('wf-typo');
		expect(result.error?.description).toMatch(/Check the Workflow ID "wf-typo".*after #\/workflows\//);
	});

	test('when Nanonets\' message names neither, ours names the workflow and the document', async () => {
		const result = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId: 'doc-gone' },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error?.message).toMatch(/^Not found: .*\(workflow wf-invoices, document doc-gone\)/);
		expect(result.error?.description).toContain('Check the Workflow ID "wf-invoices"');
	});
});

describe('editor hints', () => {
	test('the LowCodeAPI warning shows before a run of a Document operation with LowCodeAPI, not on a result', async () => {
		const loader = await loadPackage();
		const hints = loader.nodeTypes.nanonets.type.description.hints ?? [];
		const lowCode = hints.find((hint) => hint.message.includes('LowCodeAPI'));
		expect(lowCode).toMatchObject({ location: 'ndv', whenToDisplay: 'beforeExecution' });
		expect(lowCode?.displayCondition).toBe('={{ $parameter["authentication"] === "lowCodeApi" && $parameter["resource"] === "document" }}');
	});

	test('the trigger\'s notice and its output hint do not repeat a sentence', async () => {
		const loader = await loadPackage();
		const description = loader.nodeTypes.nanonetsTrigger.type.description;
		const sentences = (text: string) => text.split(/(?<=\.)\s+/).map((s) => s.trim()).filter(Boolean);
		const notice = description.properties.find((property) => property.type === 'notice')?.displayName ?? '';
		const hint = description.hints?.[0]?.message ?? '';
		expect(notice).not.toBe('');
		expect(hint).not.toBe('');
		for (const sentence of sentences(hint)) expect(sentences(notice)).not.toContain(sentence);
	});
});
