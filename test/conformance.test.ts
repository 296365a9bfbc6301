import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import type { EndpointName } from '../nodes/Nanonets/transport/endpoints';
import { ALLOWANCES, checkRequest, checkResponse, endpointOf, filesText, readVendorFiles, V2_ENDPOINTS, vendorOperationsOf, type Recorded, type Row } from './conformance/checks';
import { vendorFilesPresent } from './conformance/vendor';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AS_THE_VENDOR_FILES_SHOW } = require('./sandbox/published');

/**
 * The node and the sandbox against Nanonets' own published descriptions (the two OpenAPI files
 * in ../shared/vendor/). Every v2 operation the node calls is run in n8n's engine against the
 * sandbox, which records each request and answer. Then, for each request:
 * - method and path as a vendor file declares them for that operation;
 * - its content type declared for that operation in at least one vendor file;
 * - every query parameter and body field name it sent declared for that operation in at least
 *   one vendor file (or, where marked, used by Nanonets' own code samples of the operation);
 * and each answer the sandbox gave has the keys and value types of a response example of that
 * operation in one of the files. A table shows what settled each operation; a mismatch fails
 * with the operation and the key path.
 *
 * The sandbox answers here as the vendor files show (AS_THE_VENDOR_FILES_SHOW: Full Text's
 * `result`, `signed_urls` as a list). Its defaults differ only where other Nanonets material
 * says more (Full Text's `results`, `signed_urls` as an object); test/published-variants.test.ts
 * runs the node against both.
 */

const describeIfVendor = vendorFilesPresent() ? describe : describe.skip;
if (!vendorFilesPresent()) {
	test('the vendor OpenAPI files are in ../shared/vendor', () => {
		throw new Error('Nanonets\' OpenAPI files are missing from ../shared/vendor (beside the project folder): the conformance test cannot run');
	});
}

describeIfVendor('conformance with the vendor OpenAPI files', () => {
	let sandbox: Sandbox;
	const operations = readVendorFiles();

	beforeAll(async () => {
		sandbox = await openSandbox({ recordAnswers: true, processingMs: 50, perPageMs: 0, trainingMs: 50, pagesPerMinute: 0 });
		Object.assign((sandbox.state as unknown as { published: object }).published, AS_THE_VENDOR_FILES_SHOW);
	});
	afterAll(async () => await sandbox?.close());

	const run = async (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) => {
		const result = await runNode({ parameters: { authentication: 'apiKey', ...parameters }, items, credentials: credentialsFor(sandbox) });
		expect(result.error).toBeUndefined();
		return jsonOf(result);
	};
	const fast = { pollInterval: 0.1, timeout: 20 };
	const pdf = () => [binaryItem(makePdf({ spec: { fields: { invoice_number: 'INV-1' }, rows: [['Pens', '2', '1.00', '2.00']] } }), 'invoice.pdf')];
	const png = () => [binaryItem(makePng(), 'image.png', 'image/png')];

	/** Every v2 operation of the node, each way it can send its input. */
	async function everyV2Operation() {
		await run({ resource: 'fullText', operation: 'extract', inputType: 'binary' }, pdf());
		await run({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://example.com/a.pdf' });

		const [ocrModel] = await run({ resource: 'ocrModel', operation: 'create', categories: 'invoice_number, total_amount' });
		const modelId = String(ocrModel.model_id);
		await run({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId, inputType: 'binary' }, png());
		await run({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId, inputType: 'url', urls: 'https://example.com/a.jpg' });
		await run({ resource: 'ocrModel', operation: 'train', modelId });
		await run({ resource: 'ocrModel', operation: 'get', modelId });

		const [predicted] = await run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', outputFormat: 'document', options: { ...fast, metadata: 'batch 7' } },
			pdf(),
		);
		await run({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://example.com/b.pdf', options: fast });
		const requestFileId = String(predicted.request_file_id);
		// One page reviewed, so that Get by File answers with both buckets filled.
		const reviewed = (sandbox.state as unknown as { predictionPages: Array<{ id: string; request_file_id: string }> }).predictionPages.find((page) => page.request_file_id === requestFileId);
		(sandbox.state as unknown as { reviewV2Page: (id: string, values: object) => void }).reviewV2Page(reviewed!.id, { invoice_number: 'INV-1-checked' });
		const [byFile] = await run({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId, outputFormat: 'document' });
		const pageId = String((byFile.pages as Array<{ id: string }>)[0].id);
		await run({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId });
		const today = new Date().toISOString();
		await run({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', startDate: today, endDate: today, returnAll: true });

		const [imageModel] = await run({ resource: 'imageModel', operation: 'create', categories: 'cat, dog' });
		const imageModelId = String(imageModel.model_id);
		await run({ resource: 'imageModel', operation: 'uploadTrainingData', modelId: imageModelId, category: 'cat', inputType: 'binary' }, png());
		await run({ resource: 'imageModel', operation: 'uploadTrainingData', modelId: imageModelId, category: 'dog', inputType: 'url', urls: 'https://example.com/d.jpg' });
		await run({ resource: 'imageModel', operation: 'train', modelId: imageModelId });
		await run({ resource: 'imageModel', operation: 'get', modelId: imageModelId });
		await run({ resource: 'imageModel', operation: 'getAll', returnAll: true });
		await run({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'binary' }, png());
		await run({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://example.com/1.jpg, https://example.com/2.jpg' });
	}

	test('every v2 request the node sends and every answer the sandbox gives match the vendor files', async () => {
		await everyV2Operation();

		const seen = new Map<EndpointName, { request: Set<string>; answer: Set<string>; noExample: Set<string>; failures: string[] }>();
		const failures: string[] = [];
		for (const request of sandbox.state.requests as Recorded[]) {
			if (!request.path.startsWith('/api/v2/')) continue;
			const name = endpointOf(request.method, request.path);
			if (!name) {
				failures.push(`${request.method} ${request.path}: not an endpoint of the node's table`);
				continue;
			}
			const vendor = vendorOperationsOf(name, operations);
			if (!vendor.length) {
				failures.push(`${name}: no vendor operation describes it`);
				continue;
			}
			const entry = seen.get(name) ?? { request: new Set(), answer: new Set(), noExample: new Set(), failures: [] };
			const requestCheck = checkRequest(name, request, vendor);
			const responseCheck = checkResponse(name, request, vendor);
			entry.request.add(requestCheck.settledBy);
			if (responseCheck.settledBy) entry.answer.add(responseCheck.settledBy);
			if (responseCheck.noExample) entry.noExample.add(String(request.status));
			entry.failures.push(...requestCheck.failures, ...responseCheck.failures);
			seen.set(name, entry);
		}
		const table: Row[] = [...seen].map(([operation, entry]) => ({
			operation,
			request: entry.failures.some((failure) => !failure.includes(': answer ')) ? 'FAIL' : 'ok',
			response: entry.failures.some((failure) => failure.includes(': answer '))
				? 'FAIL'
				: entry.answer.size
					? `ok${entry.noExample.size ? ` (no example for ${[...entry.noExample].join(', ')})` : ''}`
					: `no example for ${[...entry.noExample].join(', ')}`,
			settledBy: `request: ${[...entry.request].join(' / ')}; answer: ${filesText(entry.answer)}`,
			failures: entry.failures,
		}));
		for (const name of V2_ENDPOINTS) {
			if (!seen.has(name)) failures.push(`${name}: not exercised by this test`);
		}
		const width = (pick: (row: Row) => string, title: string) => Math.max(title.length, ...table.map((row) => pick(row).length));
		const columns: Array<[string, (row: Row) => string]> = [
			['operation', (row) => row.operation],
			['request', (row) => row.request],
			['response', (row) => row.response],
			['settled by', (row) => row.settledBy],
		];
		const widths = columns.map(([title, pick]) => width(pick, title));
		const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
		const allowed = Object.entries(ALLOWANCES).map(([name, list]) => `${name}: ${list!.length} keys beyond its examples allowed (${[...new Set(list!.map((a) => a.reason))].join('; ')})`);
		console.log(
			['conformance with ../shared/vendor (Nanonets\' OpenAPI files):', line(columns.map(([title]) => title)), widths.map((w) => '-'.repeat(w)).join('-|-'), ...table.map((row) => line(columns.map(([, pick]) => pick(row)))), ...allowed].join('\n'),
		);
		failures.push(...table.flatMap((row) => row.failures));
		expect([...new Set(failures)]).toEqual([]);
		// Every operation's answer was checked against an example, not only some.
		expect(table.filter((row) => !row.response.startsWith('ok')).map((row) => row.operation)).toEqual([]);
	});

	test('a sandbox answer with a renamed key fails the check, naming the operation and the key path', async () => {
		// The node does not read model_type, so it runs on; the check does not let it pass.
		sandbox.fault({ method: 'GET', path: '/OCR/Model/', body: (model: Record<string, unknown>) => {
			const { model_type: type, ...rest } = model;
			return { ...rest, modelType: type };
		} });
		await run({ resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices' });
		const recorded = (sandbox.state.requests as Recorded[]).filter((request) => endpointOf(request.method, request.path) === 'getOcrModel').at(-1)!;
		expect(recorded.answer).toHaveProperty('modelType');
		expect(checkResponse('getOcrModel', recorded, vendorOperationsOf('getOcrModel', operations)).failures).toEqual([
			'getOcrModel: answer 200: model_type is in the vendor example but missing from the answer (closest: api-docs)',
			'getOcrModel: answer 200: modelType is not in the vendor example (closest: api-docs)',
		]);
	});
});
