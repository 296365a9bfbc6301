/**
 * Secrets as people really paste them. An API key copied with a space or line break around it
 * (Nanonets reads the key without them, and may echo it so) never shows in errors; a webhook
 * secret with the characters generated secrets carry (`+`, `/`, `=`, `%`, unicode), pasted as it
 * is after `?token=` in Nanonets, is the secret the node checks, while a wrong one still gets 401.
 */
import { binaryItem, makePdf } from './fixtures/files';
import { runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { webhookTrigger } from './engine/webhookTrigger';

const KEY = 'XKEY-5e1f-paste-SECRET';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionKey: KEY, extractionSyncMs: 1, processingMs: 0, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

test.each([
	['a trailing space', `${KEY} `],
	['a leading space and a tab', ` ${KEY}\t`],
])('a key pasted with %s: Nanonets echoing the key it read leaves no trace of it', async (_name, pasted) => {
	sandbox.fault({ path: '/extract/sync', status: 401, body: { detail: `Invalid API key ${KEY} (Authorization: Bearer ${KEY})` } });
	const credentials = credentialsFor(sandbox);
	credentials.nanonetsExtractionApi.apiKey = pasted;
	const result = await runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary' },
		items: [binaryItem(makePdf(), 'a.pdf')],
		credentials,
		typeVersion: 2,
	});
	// (The key with its space may be what is blacked out, the space with it.)
	expect(result.error?.message).toMatch(/^Nanonets refused the credentials: Invalid API key \*\*\* ?\(Authorization: Bearer \*\*\*\)$/);
	expect(JSON.stringify(result.run)).not.toContain('SECRET');
});

/** What n8n's query parser makes of `?token=<text>` as pasted at the end of the URL. */
const pastedToken = (text: string) => new URLSearchParams(`token=${text}`).get('token') ?? '';

test.each(['s3cr+t/with=base64+chars==', 'pct%41ge', 'ünïcode-秘密', 'plain-secret-42'])('webhook secret "%s" pasted as it is after ?token= starts the workflow; a wrong one gets 401', async (secret) => {
	const node = await webhookTrigger({ resolveDocument: false, outputFormat: 'document', secret }, credentialsFor(sandbox));
	const body = { document_id: `doc-${secret.length}`, status: 'success', pages: [] };
	const pasted = await node.deliver({ body, query: { token: pastedToken(secret) } });
	expect(pasted.status).toBe(200);
	expect(pasted.started).toBe(true);
	// Encoded properly, it is the same secret (and the same document: started once).
	const encoded = await node.deliver({ body, query: { token: pastedToken(encodeURIComponent(secret)) } });
	expect(encoded.status).toBe(200);
	expect(encoded.started).toBe(false);
	for (const wrong of [`${secret}x`, secret.slice(1), '', pastedToken(`${secret}x`)]) {
		const refused = await node.deliver({ body: { ...body, document_id: 'other' }, query: { token: wrong } });
		expect(refused.status).toBe(401);
		expect(refused.started).toBe(false);
	}
});
