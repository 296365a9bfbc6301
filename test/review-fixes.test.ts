import { binaryItem, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ trainingMs: 50 });
});
afterAll(async () => await sandbox.close());

const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
	runNode({ parameters, items, credentials: credentialsFor(sandbox) });

test('an image category with a space in its name takes training images (it is a form field, not an ID)', async () => {
	const created = await run({ resource: 'imageModel', operation: 'create', categories: 'golden retriever, tabby cat' });
	expect(created.error).toBeUndefined();
	const modelId = String(jsonOf(created)[0].model_id);

	const uploaded = await run(
		{ resource: 'imageModel', operation: 'uploadTrainingData', modelId, category: 'golden retriever', inputType: 'binary' },
		[binaryItem(makePng(), 'dog.png', 'image/png')],
	);
	expect(uploaded.error).toBeUndefined();
	const upload = sandbox.requestsTo('ImageCategorization/UploadFile', 'POST').at(-1);
	expect(upload?.status).toBe(200);

	const empty = await run({ resource: 'imageModel', operation: 'uploadTrainingData', modelId, category: '  ', inputType: 'url', urls: 'https://example.com/a.jpg' });
	expect(empty.error?.message).toMatch(/"Category" parameter is empty \(item 1\)/);
});

describe('OCR Prediction > Get Many dates', () => {
	const zone = process.env.TZ;
	afterEach(() => {
		if (zone === undefined) delete process.env.TZ;
		else process.env.TZ = zone;
	});

	test.each(['Asia/Tokyo', 'America/Los_Angeles'])(
		'a date picked in the editor (no time zone) is the UTC day the description promises, with the server in %s',
		async (serverZone) => {
			process.env.TZ = serverZone;
			const result = await run({
				resource: 'ocrPrediction',
				operation: 'getAll',
				modelId: 'ocr-invoices',
				startDate: '2026-02-01T00:00:00',
				endDate: '2026-02-10T23:30:00',
				returnAll: true,
			});
			expect(result.error).toBeUndefined();
			const list = sandbox.requestsTo('ImageLevelInferences', 'GET').at(-1);
			expect(list?.query).toMatchObject({
				start_day_interval: String(Date.UTC(2026, 1, 1) / 86_400_000),
				current_batch_day: String(Date.UTC(2026, 1, 10) / 86_400_000),
			});
		},
	);
});
