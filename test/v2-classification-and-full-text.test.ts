import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox();
});
afterAll(async () => await sandbox.close());

describe.each(['apiKey', 'lowCodeApi'])('under the %s credential', (authentication) => {
	const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
		runNode({ parameters: { authentication, ...parameters }, items, credentials: credentialsFor(sandbox) });

	test('image classification returns one item per image with labels best first', async () => {
		const result = await run(
			{ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'binary' },
			[binaryItem(makePng(), 'pet.png', 'image/png')],
		);
		expect(result.error).toBeUndefined();
		const [item] = jsonOf(result);
		expect(item.input).toBe('pet.png');
		const labels = item.labels as Array<{ label: string; probability: number }>;
		expect(labels.map((l) => l.label).sort()).toEqual(['cat', 'dog']);
		expect(labels[0].probability).toBeGreaterThanOrEqual(labels[1].probability);
		expect(item.best_label).toBe(labels[0].label);
		expect(item.best_probability).toBe(labels[0].probability);
	});

	test('image classification of several URLs: one item each, a bad URL without labels (202)', async () => {
		const result = await run({
			resource: 'imageClassification',
			operation: 'predict',
			modelId: 'ic-animals',
			inputType: 'url',
			urls: 'https://example.com/1.jpg, https://bad.example/2.jpg, https://example.com/3.jpg',
		});
		expect(result.error).toBeUndefined();
		const items = jsonOf(result);
		expect(items.map((i) => i.input)).toEqual(['https://example.com/1.jpg', 'https://bad.example/2.jpg', 'https://example.com/3.jpg']);
		expect(items[1]).toMatchObject({ labels: [], best_label: null });
		expect(items[0].best_label).toEqual(expect.any(String));
	});

	test('full text of a PDF gives each page\'s text and words', async () => {
		const result = await run(
			{ resource: 'fullText', operation: 'extract', inputType: 'binary' },
			[binaryItem(makePdf({ pages: 2, spec: { fields: { invoice_number: 'INV-9' }, rows: [['Tea', '1', '2.00', '2.00']] } }), 'scan.pdf')],
		);
		expect(result.error).toBeUndefined();
		const [file] = jsonOf(result);
		expect(file.filename).toBe('scan.pdf');
		expect((file.pages as unknown[]).length).toBe(2);
		expect(file.text).toContain('INV-9');
		expect(file.text).toContain('Tea');
	});

	test('full text of URLs gives one item per URL', async () => {
		const result = await run({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://example.com/a.png\nhttps://example.com/b.png' });
		expect(jsonOf(result).map((f) => f.filename)).toEqual(['https://example.com/a.png', 'https://example.com/b.png']);
	});

	test('a model whose free calls are exhausted answers 402 with Nanonets\' message', async () => {
		const result = await run(
			{ resource: 'ocrPrediction', operation: 'predict', modelId: 'model-no-credits', inputType: 'binary' },
			[binaryItem(makePng(), 'x.png', 'image/png')],
		);
		expect(result.error?.httpCode).toBe('402');
		expect(result.error?.message).toMatch(/Exhausted Free API Calls/);
	});
});
