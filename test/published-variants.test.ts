import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode, type NodeRun } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { variantsOf } = require('./sandbox/published');

/**
 * Where Nanonets' published material disagrees (../shared/vendor/README.md), the node sends what
 * satisfies every variant and reads every variant's answer. Each operation here runs against the
 * sandbox answering in each published variant and must give the same items; the requests are
 * checked to carry what each variant needs.
 */

interface Published {
	imageModelIdParam: string;
	trainModelIdIn: string;
	urlListBody: string;
	fullTextKey: string;
	statusCase: string;
	signedUrls: string;
}
interface V2State {
	published: Published;
	resetPublished(): void;
	predictionPages: Array<{ id: string; request_file_id: string; input: string }>;
	reviewV2Page(pageId: string, values: Record<string, string>): void;
}

let sandbox: Sandbox;
const v2 = () => sandbox.state as unknown as V2State;
beforeAll(async () => {
	// Items of the variants' runs are compared, so a model's training state must not move between them.
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, trainingMs: 600_000, pagesPerMinute: 0 });
});
afterEach(() => {
	v2().resetPublished();
	sandbox.reset();
});
afterAll(async () => await sandbox.close());

const fast = { pollInterval: 0.1, timeout: 20 };
const invoice = { fields: { invoice_number: 'INV-77', total_amount: '42.00' }, rows: [['Pens', '2', '1.00', '2.00']] };

async function run(parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']): Promise<NodeRun> {
	return await runNode({ parameters: { authentication: 'apiKey', ...parameters }, items, credentials: credentialsFor(sandbox) });
}

/** Runs `operation` once per variant of `name`; every run must succeed with the same items. */
async function sameItemsInEachVariant(name: keyof Published, operation: () => Promise<NodeRun>, normalize = (items: object[]) => items) {
	const byVariant: Array<[string, object[]]> = [];
	for (const variant of variantsOf(name) as string[]) {
		v2().published[name] = variant;
		const result = await operation();
		expect({ variant, error: result.error?.message }).toEqual({ variant, error: undefined });
		byVariant.push([variant, normalize(jsonOf(result))]);
	}
	expect(byVariant.length).toBeGreaterThan(1);
	for (const [, items] of byVariant.slice(1)) expect(items).toEqual(byVariant[0][1]);
	return byVariant[0][1];
}

/** Items of separate runs compare without their ids (new in each run) and upload hours. */
const withoutIds = (items: object[]) =>
	(JSON.parse(JSON.stringify(items).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')) as object[]).map((item) => ({ ...item, uploaded_at: 'its hour' }));

const last = (pathPart: string, method = 'POST') => sandbox.requestsTo(pathPart, method).at(-1)!;

test('image classification Get Model sends the id as `id` and as `modelId`: the same model under either name', async () => {
	const items = await sameItemsInEachVariant('imageModelIdParam', () => run({ resource: 'imageModel', operation: 'get', modelId: 'ic-animals' }));
	expect(items).toEqual([expect.objectContaining({ model_id: 'ic-animals', model_type: 'classification' })]);
	expect(last('/ImageCategorization/Model/', 'GET').query).toEqual({ id: 'ic-animals', modelId: 'ic-animals' });
});

test('image classification Train sends `modelId` in the query and in the URL-encoded body: the same answer wherever the server reads it', async () => {
	const items = await sameItemsInEachVariant('trainModelIdIn', () => run({ resource: 'imageModel', operation: 'train', modelId: 'ic-animals' }));
	expect(items).toEqual([expect.objectContaining({ model_id: 'ic-animals', state: 3 })]);
	const request = last('/ImageCategorization/Train/');
	expect(request).toMatchObject({ query: { modelId: 'ic-animals' }, contentType: 'application/x-www-form-urlencoded', fields: { modelId: ['ic-animals'] } });
});

describe('URL lists are URL-encoded, one `urls` field per URL', () => {
	const urls = 'https://example.com/1.jpg, https://example.com/2.jpg';
	const expectUrlEncoded = (pathPart: string) =>
		expect(last(pathPart)).toMatchObject({
			contentType: 'application/x-www-form-urlencoded',
			fields: expect.objectContaining({ urls: ['https://example.com/1.jpg', 'https://example.com/2.jpg'] }),
		});

	test('image classification predict (LabelUrls)', async () => {
		const items = await sameItemsInEachVariant('urlListBody', () => run({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls }));
		expect(items.map((item) => (item as { input: string }).input)).toEqual(['https://example.com/1.jpg', 'https://example.com/2.jpg']);
		expectUrlEncoded('/ImageCategorization/LabelUrls/');
		expect(last('/ImageCategorization/LabelUrls/').fields?.modelId).toEqual(['ic-animals']);
	});

	test('image training upload (UploadUrls)', async () => {
		const items = await sameItemsInEachVariant(
			'urlListBody',
			() => run({ resource: 'imageModel', operation: 'uploadTrainingData', modelId: 'ic-animals', category: 'cat', inputType: 'url', urls }),
			// The count of cat images grows with each upload; the shape is what must agree.
			(found) => found.map((item) => ({ ...item, categories: undefined })),
		);
		expect(items).toEqual([expect.objectContaining({ model_id: 'ic-animals' })]);
		expectUrlEncoded('/ImageCategorization/UploadUrls/');
		expect(last('/ImageCategorization/UploadUrls/').fields).toMatchObject({ modelId: ['ic-animals'], category: ['cat'] });
	});

	test('OCR predict (LabelUrls), waiting for the predictions', async () => {
		const items = await sameItemsInEachVariant(
			'urlListBody',
			() => run({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls, outputFormat: 'simplified', options: fast }),
			withoutIds,
		);
		expect(items).toHaveLength(2);
		expectUrlEncoded('/LabelUrls/');
		expect(last('/OCR/Model/ocr-invoices/LabelUrls/').query).toEqual({ async: 'true' });
	});

	test('through LowCodeAPI as well', async () => {
		const result = await runNode({
			parameters: { authentication: 'lowCodeApi', resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls },
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toHaveLength(2);
		expect(last('/nanonets/')).toMatchObject({ contentType: 'application/x-www-form-urlencoded', fields: expect.objectContaining({ urls: expect.any(Array) }) });
	});

	test('OCR training URLs (UploadUrls) stay JSON, as both vendor files send them', async () => {
		const result = await run({ resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'ocr-invoices', inputType: 'url', urls });
		expect(result.error).toBeUndefined();
		expect(last('/UploadUrls/')).toMatchObject({ contentType: 'application/json', bodyFields: ['urls', 'data'] });
	});

	test('a server that reads only URL-encoded forms finds no URLs in a multipart body (the sandbox holds the node to it)', async () => {
		const response = await fetch(`${sandbox.url}/api/v2/ImageCategorization/LabelUrls/`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}` },
			body: (() => {
				const form = new FormData();
				form.append('modelId', 'ic-animals');
				form.append('urls', 'https://example.com/1.jpg');
				return form;
			})(),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ message: expect.stringMatching(/^Urls missing/) });
	});
});

test('Full Text reads `results` (Nanonets\' recorded answer) and `result` (the konfig example) alike', async () => {
	const items = await sameItemsInEachVariant('fullTextKey', () =>
		run({ resource: 'fullText', operation: 'extract', inputType: 'binary' }, [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')]),
	);
	expect(items).toEqual([expect.objectContaining({ filename: 'invoice.pdf', text: expect.stringContaining('INV-77') })]);
});

test('a Full Text answer with neither key is "Unexpected response", naming the key Nanonets sends', async () => {
	sandbox.fault({ method: 'POST', path: '/OCR/FullText', body: { pages: [] } });
	const result = await run({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://example.com/a.pdf' });
	expect(result.error?.message).toMatch(/^Unexpected response from Nanonets: results: Required/);
});

test('page statuses "Success" and "success" give the same items', async () => {
	const items = await sameItemsInEachVariant(
		'statusCase',
		() => run({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', outputFormat: 'simplified', options: fast }, [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')]),
		withoutIds,
	);
	expect(items).toEqual([expect.objectContaining({ status: 'success', fields: expect.objectContaining({ invoice_number: 'INV-77' }) })]);
});

test('a v4 document whose status says "Success" is finished', async () => {
	sandbox.fault({ method: 'GET', path: '/documents/', times: 50, body: (document: Record<string, unknown>) => ({ ...document, status: document.status === 'success' ? 'Success' : document.status }) });
	const result = await run(
		{ resource: 'document', operation: 'upload', workflowId: 'wf-invoices', inputType: 'binary', outputFormat: 'simplified', options: fast },
		[binaryItem(makePdf({ pages: 4, spec: invoice }), 'long.pdf')],
	);
	expect(result.error).toBeUndefined();
	expect(jsonOf(result)).toEqual([expect.objectContaining({ status: 'success', fields: expect.objectContaining({ invoice_number: 'INV-77' }) })]);
});

test('`signed_urls` is read as an object of file name to address; a list (the konfig placeholder) is left out', async () => {
	const [sent] = jsonOf(await run({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', waitForCompletion: false }, [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')]));
	await new Promise((resolve) => setTimeout(resolve, 150));
	const get = (outputFormat: string) => run({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId: String(sent.request_file_id), outputFormat });
	const simplified = await sameItemsInEachVariant('signedUrls', () => get('simplified'));
	expect(simplified).toEqual([expect.objectContaining({ document_id: sent.request_file_id, fields: expect.objectContaining({ invoice_number: 'INV-77' }) })]);
	v2().published.signedUrls = 'object';
	const [document] = jsonOf(await get('document'));
	expect(Object.values(document.signed_urls as object)).toEqual([expect.stringMatching(/^https:\/\/sandbox\.invalid\/.*X-Amz-Signature/)]);
	v2().published.signedUrls = 'array';
	expect(jsonOf(await get('document'))[0]).not.toHaveProperty('signed_urls');
});

describe('a page reviewed in Nanonets: its moderated_boxes win over predicted_boxes', () => {
	let requestFileId = '';
	beforeAll(async () => {
		const [sent] = jsonOf(await run({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', waitForCompletion: false }, [binaryItem(makePdf({ spec: invoice }), 'reviewed.pdf')]));
		requestFileId = String(sent.request_file_id);
		await new Promise((resolve) => setTimeout(resolve, 150));
		const page = v2().predictionPages.find((candidate) => candidate.request_file_id === requestFileId)!;
		v2().reviewV2Page(page.id, { total_amount: '40.00' });
	});
	const byFile = (outputFormat: string, options: object = {}) =>
		run({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId, outputFormat, options });

	test('Simplified and Fields show the reviewed value, marked is_moderated', async () => {
		const [simplified] = jsonOf(await byFile('simplified'));
		expect(simplified.fields).toEqual(expect.objectContaining({ invoice_number: 'INV-77', total_amount: '40.00' }));
		const fields = jsonOf(await byFile('fields'));
		expect(fields.find((field) => field.field === 'total_amount')).toMatchObject({ value: '40.00', is_moderated: true });
		expect(fields.every((field) => field.is_moderated === true)).toBe(true);
	});

	test('Table Rows take the reviewed page\'s boxes, with reviewed Row Fields', async () => {
		const rows = jsonOf(await byFile('tableRows', { rowFields: 'total_amount' }));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ total_amount: '40.00', document_id: requestFileId });
	});

	test('Document keeps both the model\'s and the reviewer\'s boxes', async () => {
		const [document] = jsonOf(await byFile('document'));
		const [page] = document.pages as Array<{ is_moderated: boolean; predicted_boxes: Array<{ label: string; ocr_text: string }>; moderated_boxes: Array<{ label: string; ocr_text: string }> }>;
		expect(page.is_moderated).toBe(true);
		expect(page.predicted_boxes.find((box) => box.label === 'total_amount')?.ocr_text).toBe('42.00');
		expect(page.moderated_boxes.find((box) => box.label === 'total_amount')?.ocr_text).toBe('40.00');
	});

	test('Get Many and Get by Page read the reviewed values too', async () => {
		const today = new Date().toISOString();
		const all = jsonOf(await run({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', startDate: today, endDate: today, returnAll: true, outputFormat: 'simplified' }));
		expect(all.find((item) => item.document_id === requestFileId)?.fields).toEqual(expect.objectContaining({ total_amount: '40.00' }));
		const page = v2().predictionPages.find((candidate) => candidate.request_file_id === requestFileId)!;
		const [byPage] = jsonOf(await run({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: page.id, outputFormat: 'fields' }));
		expect(byPage).toMatchObject({ page_id: page.id, is_moderated: true });
	});

	test('Predict\'s wait result: a page reviewed before the wait ends is read with its reviewed values', async () => {
		const pending = run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', outputFormat: 'simplified', options: { pollInterval: 0.2, timeout: 20 } },
			[binaryItem(makePdf({ spec: invoice }), 'reviewed-while-waiting.pdf')],
		);
		let page: { id: string } | undefined;
		for (let tries = 0; !page && tries < 100; tries++) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			page = v2().predictionPages.find((candidate) => candidate.input === 'reviewed-while-waiting.pdf');
		}
		v2().reviewV2Page(page!.id, { invoice_number: 'INV-77-R' });
		const [item] = jsonOf(await pending);
		expect(item.fields).toEqual(expect.objectContaining({ invoice_number: 'INV-77-R', total_amount: '42.00' }));
	});
});
