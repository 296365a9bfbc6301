import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { binaryItem, makePng } from './fixtures/files';
import { jsonOf, PACKAGE_ROOT, runNode } from './engine/harness';
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

/**
 * The day range Get Many sends, from the built operation run in a separate Node process whose
 * time zone is `zone` (a Jest worker cannot change its own time zone).
 */
function daysSent(zone: string, startDate: unknown, endDate: unknown): Record<string, unknown> {
	const script = `
		const { getAll } = require(${JSON.stringify(join(PACKAGE_ROOT, 'dist/nodes/Nanonets/actions/ocrPrediction/getAll.operation.js'))});
		const parameters = { modelId: 'm1', startDate: ${JSON.stringify(startDate)}, endDate: ${JSON.stringify(endDate)}, returnAll: true, outputFormat: 'document' };
		const context = { getNode: () => ({ name: 'Nanonets' }), getNodeParameter: (name, _i, fallback) => parameters[name] ?? fallback };
		let sent;
		const client = { request: async (_name, options) => { sent = options.query; return { unmoderated_images: [] }; }, redact: (t) => t };
		getAll.prepare.call(context, 0).then((call) => call(client)).then(() => process.stdout.write(JSON.stringify(sent)));
	`;
	const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
	return JSON.parse(output) as Record<string, unknown>;
}

describe('OCR Prediction > Get Many dates', () => {
	const day = (year: number, month: number, date: number) => Date.UTC(year, month - 1, date) / 86_400_000;

	test.each(['Asia/Tokyo', 'America/Los_Angeles', 'UTC'])(
		'a date picked in the editor (no time zone) is the UTC day the description promises, with the server in %s',
		(zone) => {
			expect(daysSent(zone, '2026-02-01T00:00:00', '2026-02-10T23:30:00')).toEqual({
				start_day_interval: day(2026, 2, 1),
				current_batch_day: day(2026, 2, 10),
			});
			// A date with its own zone keeps it.
			expect(daysSent(zone, '2026-02-01T23:00:00-05:00', '2026-02-10')).toEqual({
				start_day_interval: day(2026, 2, 2),
				current_batch_day: day(2026, 2, 10),
			});
		},
	);
});

describe('a LowCodeAPI proxy that only takes the new URL format', () => {
	let proxy: Sandbox;
	beforeAll(async () => {
		proxy = await openSandbox({ lowCodeFormats: ['new'] });
	});
	afterAll(async () => await proxy.close());

	const getModel = (modelId: string) =>
		runNode({
			parameters: { authentication: 'lowCodeApi', resource: 'ocrModel', operation: 'get', modelId },
			credentials: credentialsFor(proxy),
		});

	test('an unknown model is reported with Nanonets\' own 404, not the old format\'s "no such endpoint"', async () => {
		const unknown = await getModel('no-such-model');
		expect(unknown.error?.httpCode).toBe('404');
		expect(unknown.error?.message).toMatch(/Model does not exists/);

		expect((await getModel('ocr-invoices')).error).toBeUndefined();
		const again = await getModel('no-such-model');
		expect(again.error?.message).toMatch(/Model does not exists/);
	});
});

test('a LowCodeAPI error wrapper with status 200 does not read as "Nanonets answered 200"', async () => {
	sandbox.fault({ method: 'GET', path: '/nanonets/', status: 200, body: { data: { error: { message: 'Provider timeout', code: 'E_PROVIDER' } } } });
	const result = await run({ authentication: 'lowCodeApi', resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices' });
	expect(result.error?.message).toBe('LowCodeAPI reported an error: Provider timeout');
});
