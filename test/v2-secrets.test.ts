import { binaryItem, makePdf } from './fixtures/files';
import { runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50 });
});
afterAll(async () => await sandbox.close());

/** Every form a secret could leak in. */
function forms(secret: string): string[] {
	return [secret, Buffer.from(`${secret}:`).toString('base64'), encodeURIComponent(secret)];
}

test.each(['apiKey', 'lowCodeApi'])('the %s secret appears nowhere in a failing run, its items or its error', async (authentication) => {
	const credentials = credentialsFor(sandbox);
	const secrets = [...forms(sandbox.config.apiKey), ...forms(sandbox.config.lowCodeToken)];
	// An item that fails at Nanonets (unknown model) next to one that succeeds, with Continue On Fail...
	const continued = await runNode({
		parameters: { authentication, resource: 'ocrPrediction', operation: 'predict', modelId: '={{ $json.model }}', inputType: 'binary', options: { pollInterval: 0.1 } },
		items: [
			binaryItem(makePdf(), 'a.pdf', 'application/pdf', { model: 'no-such-model' }),
			binaryItem(makePdf(), 'b.pdf', 'application/pdf', { model: 'ocr-invoices' }),
		],
		credentials,
		continueOnFail: true,
	});
	expect(continued.items[0].json.error).toMatch(/Model does not exists/);
	// ...and a run that stops on the failure.
	const failed = await runNode({
		parameters: { authentication, resource: 'ocrModel', operation: 'get', modelId: 'no-such-model' },
		credentials,
	});
	expect(failed.error).toBeDefined();
	for (const result of [continued, failed]) {
		const texts = [
			JSON.stringify(result.items),
			JSON.stringify(result.run),
			String(result.error?.message ?? ''),
			String(result.error?.description ?? ''),
			JSON.stringify(result.error ?? {}),
			JSON.stringify((result.error as { context?: unknown } | undefined)?.context ?? {}),
		];
		for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
	}
});
