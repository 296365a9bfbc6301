/**
 * The Nanonets Webhook Trigger under odd bodies. Its memory of past deliveries stays small
 * whatever a delivery holds (n8n saves the node's static data with the workflow after every
 * delivery); a body nested absurdly deep is refused, not a crash.
 */
import type { IDataObject } from 'n8n-workflow';

import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { webhookTrigger } from './engine/webhookTrigger';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());

const parameters = { resolveDocument: false, outputFormat: 'document' };
const document = (id: string): IDataObject => ({ document_id: id, workflow_id: 'wf-1', status: 'success', pages: [] });

test('documents with very long ids: the saved memory stays small, and a repeat still starts nothing', async () => {
	const node = await webhookTrigger(parameters, credentialsFor(sandbox));
	const longId = (n: number) => `${n}-${'x'.repeat(200_000)}`;
	for (let n = 0; n < 20; n++) {
		const delivery = await node.deliver({ body: document(longId(n)) });
		expect(delivery.started).toBe(true);
	}
	const saved = node.staticData();
	// 20 documents remembered in a few kilobytes, not 4 MB of ids.
	expect(JSON.stringify(saved).length).toBeLessThan(10_000);
	const state = Object.values(saved).find((value) => typeof value === 'object' && value !== null && 'nanonetsWebhook' in value) as IDataObject;
	expect(Object.keys((state.nanonetsWebhook as IDataObject).seen as IDataObject)).toHaveLength(20);

	// After a restart (only the saved memory left), the same delivery is still known.
	const restarted = await webhookTrigger(parameters, credentialsFor(sandbox), { workflowId: 'restarted-long-ids', staticData: saved });
	expect((await restarted.deliver({ body: document(longId(7)) })).started).toBe(false);
	// A different long id that shares the first part is new.
	expect((await restarted.deliver({ body: document(`${longId(7)}y`) })).started).toBe(true);
});

test.each([
	['arrays', (depth: number) => `${'['.repeat(depth)}{"document_id":"deep","pages":[]}${']'.repeat(depth)}`],
	['objects', (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
])('a body of %s nested thousands deep is refused with 400, and a reasonably nested one is taken', async (_name, nested) => {
	const node = await webhookTrigger(parameters, credentialsFor(sandbox));
	// A hundred kilobytes of brackets: reading it naively overflows the stack.
	const deep = nested(20_000);
	const refused = await node.deliver({ body: JSON.parse(deep), rawBody: deep });
	expect(refused.error).toBeUndefined();
	expect(refused.status).toBe(400);
	expect(refused.answer).toEqual({ message: expect.stringMatching(/nested more than 100 levels/) });
	expect(refused.started).toBe(false);
	const shallow = nested(20);
	const taken = await node.deliver({ body: JSON.parse(shallow), rawBody: shallow });
	expect(taken.status).toBe(200);
	expect(taken.started).toBe(true);
});

test('two documents delivered at once, each request saving the static data it loaded: the save that lands last still remembers both', async () => {
	// n8n builds a Workflow per request from the saved static data, and saves it after the node
	// returned: two requests that loaded the same state each save their own copy, the last one wins.
	const shared = { workflowId: 'concurrent-saves' };
	const [one, two] = await Promise.all([webhookTrigger(parameters, credentialsFor(sandbox), shared), webhookTrigger(parameters, credentialsFor(sandbox), shared)]);
	const [a, b] = await Promise.all([one.deliver({ body: document('doc-a') }), two.deliver({ body: document('doc-b') })]);
	expect([a.started, b.started]).toEqual([true, true]);
	for (const lastSaved of [one, two]) {
		const restarted = await webhookTrigger(parameters, credentialsFor(sandbox), { workflowId: `restarted-${lastSaved === one ? 'one' : 'two'}`, staticData: lastSaved.staticData() });
		expect((await restarted.deliver({ body: document('doc-a') })).started).toBe(false);
		expect((await restarted.deliver({ body: document('doc-b') })).started).toBe(false);
	}
});
