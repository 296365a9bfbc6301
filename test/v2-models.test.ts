import { binaryItem, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ trainingMs: 150 });
});
afterAll(async () => await sandbox.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['apiKey', 'lowCodeApi'])('models under the %s credential', (authentication) => {
	const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
		runNode({ parameters: { authentication, ...parameters }, items, credentials: credentialsFor(sandbox) });

	test('an OCR model is created, gets training data, trains and becomes ready', async () => {
		const created = await run({ resource: 'ocrModel', operation: 'create', categories: 'invoice_number, total_amount' });
		expect(created.error).toBeUndefined();
		const [model] = jsonOf(created);
		expect(model).toMatchObject({ model_type: 'ocr', state: 0, state_description: 'created: no training data uploaded yet' });
		expect(model.categories).toEqual([
			{ count: 0, name: 'invoice_number' },
			{ count: 0, name: 'total_amount' },
		]);
		const modelId = String(model.model_id);

		const uploaded = await run(
			{ resource: 'ocrModel', operation: 'uploadTrainingData', modelId, inputType: 'binary' },
			[binaryItem(makePng(), 'invoice.png', 'image/png')],
		);
		expect(uploaded.error).toBeUndefined();
		expect(jsonOf(uploaded)[0]).toMatchObject({ Meta: { ModelID: modelId, State: 1 } });

		const byUrl = await run({
			resource: 'ocrModel',
			operation: 'uploadTrainingData',
			modelId,
			inputType: 'url',
			urls: 'https://example.com/a.jpg',
			options: { annotations: JSON.stringify([{ filename: 'https://example.com/a.jpg', object: [{ name: 'total_amount', ocr_text: '10', bndbox: { xmin: 1, ymin: 1, xmax: 9, ymax: 9 } }] }]) },
		});
		expect(byUrl.error).toBeUndefined();
		expect(jsonOf(byUrl)[0]).toMatchObject({ Meta: { State: 2 } });

		const trained = await run({ resource: 'ocrModel', operation: 'train', modelId });
		expect(jsonOf(trained)[0]).toMatchObject({ state: 3, state_description: 'queued for training' });
		await sleep(250);
		const got = await run({ resource: 'ocrModel', operation: 'get', modelId });
		expect(jsonOf(got)[0]).toMatchObject({ model_id: modelId, state: 5, state_description: 'ready: hosted, predictions can be made' });
	});

	test('an image model is created, gets images of a category, trains and is listed', async () => {
		const created = await run({ resource: 'imageModel', operation: 'create', categories: 'cat, dog, bird' });
		expect(created.error).toBeUndefined();
		const [model] = jsonOf(created);
		expect(model).toMatchObject({ model_type: 'classification', state: 0 });
		const modelId = String(model.model_id);

		const files = await run(
			{ resource: 'imageModel', operation: 'uploadTrainingData', modelId, category: 'cat', inputType: 'binary' },
			[binaryItem(makePng(), 'cat.png', 'image/png')],
		);
		expect(files.error).toBeUndefined();
		const urls = await run({
			resource: 'imageModel',
			operation: 'uploadTrainingData',
			modelId,
			category: 'dog',
			inputType: 'url',
			urls: 'https://example.com/dog1.jpg,\nhttps://example.com/dog2.jpg',
		});
		expect(jsonOf(urls)[0].categories).toEqual([
			{ count: 1, name: 'cat' },
			{ count: 2, name: 'dog' },
			{ count: 0, name: 'bird' },
		]);

		const trained = await run({ resource: 'imageModel', operation: 'train', modelId });
		expect(jsonOf(trained)[0]).toMatchObject({ state: 3 });
		await sleep(250);
		expect(jsonOf(await run({ resource: 'imageModel', operation: 'get', modelId }))[0]).toMatchObject({ state: 5 });

		const listed = jsonOf(await run({ resource: 'imageModel', operation: 'getAll', returnAll: true }));
		expect(listed.map((entry) => entry.model_id)).toContain(modelId);
		expect(listed.every((entry) => typeof entry.state_description === 'string')).toBe(true);
		expect(jsonOf(await run({ resource: 'imageModel', operation: 'getAll', returnAll: false, limit: 1 }))).toHaveLength(1);
	});

	test('training an image model without images is refused with Nanonets\' 400', async () => {
		const [model] = jsonOf(await run({ resource: 'imageModel', operation: 'create', categories: 'a, b' }));
		const result = await run({ resource: 'imageModel', operation: 'train', modelId: String(model.model_id) });
		expect(result.error?.message).toMatch(/rejected the request.*Model not ready for training/);
		expect(result.error?.httpCode).toBe('400');
	});

	test('a category the model does not have is refused with Nanonets\' 400', async () => {
		const result = await run({
			resource: 'imageModel',
			operation: 'uploadTrainingData',
			modelId: 'ic-animals',
			category: 'horse',
			inputType: 'url',
			urls: 'https://example.com/horse.jpg',
		});
		expect(result.error?.message).toMatch(/Category not valid for model/);
	});
});
