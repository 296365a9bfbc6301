/**
 * The Nanonets Webhook Trigger, one delivery at a time, as n8n-core's WebhookContext runs it:
 * every payload shape Nanonets' sources show, the secret, refused bodies, resolution in each
 * output format, repeated deliveries, failing reads, and what never reaches the output.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { engineLog, jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { v4 } from './engine/v4Sandbox';
import { webhookTrigger, type Delivery, type WebhookTrigger } from './engine/webhookTrigger';

const WORKFLOW = 'wf-invoices';
const spec = {
	pages: [
		{ fields: { invoice_number: 'INV-501', total_amount: '1,250.00' }, rows: [['Paper A4', '10', '25.00', '250.00']] },
		{ fields: { notes: 'deliver to dock 4' }, rows: [['Toner', '4', '250.00', '1000.00']] },
	],
};

interface Webhooks {
	payload(variant: string, workflowId: string, documentId: string): unknown;
	register(registration: { url: string; variant?: string; events?: string[]; repeat?: number }): { id: string };
	registrations: unknown[];
	deliveries: Array<{ at: number; variant: string; event: string; document_id: string; status: number; answer?: string }>;
}

let sandbox: Sandbox;
const webhooks = () => (sandbox.state as unknown as { webhooks: Webhooks }).webhooks;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, workflows: [WORKFLOW, 'wf-other'] });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	v4(sandbox).resetV4();
	webhooks().registrations.length = 0;
});

const addInvoice = (name = 'invoice.pdf') => sandbox.addDocument(WORKFLOW, { pages: 2, spec, name });
const trigger = (parameters: INodeParameters = {}) =>
	webhookTrigger({ resolveDocument: false, outputFormat: 'simplified', ...parameters }, credentialsFor(sandbox));
const resolving = (parameters: INodeParameters = {}) =>
	trigger({ resolveDocument: true, authentication: 'apiKey', workflowId: { __rl: true, mode: 'id', value: WORKFLOW }, ...parameters });
const reads = (documentId: string) => sandbox.requestsTo(`/documents/${documentId}`, 'GET');

function expectInvoice(item: IDataObject, documentId: string) {
	expect(item).toMatchObject({ document_id: documentId, fields: { invoice_number: 'INV-501', total_amount: '1,250.00', notes: 'deliver to dock 4' } });
	expect((item.tables as IDataObject[][]).flat().map((row) => row.description)).toEqual(['Paper A4', 'Toner']);
}

describe('any payload shape Nanonets sends becomes one item per document', () => {
	test.each(['v4', 'v2-list', 'v2-object', 'v2-nested', 'list'])('%s, shaped as it arrived (no request)', async (variant) => {
		const id = addInvoice();
		const delivery = await (await trigger()).deliver({ body: webhooks().payload(variant, WORKFLOW, id) });
		expect(delivery.status).toBe(200);
		expect(delivery.items).toHaveLength(1);
		if (variant === 'v2-object') {
			// One result object for the whole file: its boxes, without page numbers.
			expect(delivery.items[0]).toMatchObject({ document_id: id, original_document_name: 'invoice.pdf', fields: { invoice_number: 'INV-501', notes: 'deliver to dock 4' } });
		} else {
			expectInvoice(delivery.items[0], id);
		}
		expect(reads(id)).toHaveLength(0);
	});

	test.each(['v4', 'v2-list', 'v2-object', 'v2-nested', 'list'])('%s, resolved: the full v4 document read by its id', async (variant) => {
		const id = addInvoice();
		const delivery = await (await resolving()).deliver({ body: webhooks().payload(variant, WORKFLOW, id) });
		expect(delivery.items).toHaveLength(1);
		expectInvoice(delivery.items[0], id);
		expect(delivery.items[0]).toMatchObject({ status: 'success', original_document_name: 'invoice.pdf' });
		expect(reads(id)).toHaveLength(1);
	});

	test('a list of deliveries gives one item per document, in order', async () => {
		const first = addInvoice('a.pdf');
		const second = addInvoice('b.pdf');
		const body = [webhooks().payload('v4', WORKFLOW, first), webhooks().payload('v2-list', WORKFLOW, second)];
		const delivery = await (await trigger()).deliver({ body });
		expect(delivery.items.map((item) => [item.document_id, item.original_document_name])).toEqual([
			[first, 'a.pdf'],
			[second, 'b.pdf'],
		]);
	});

	test('an export that carries only ids is read in full', async () => {
		const id = addInvoice();
		const delivery = await (await resolving()).deliver({ body: { document_id: id, workflow_id: WORKFLOW, event: 'approved' } });
		expectInvoice(delivery.items[0], id);
	});

	test('the v2 document output is the export as it came; v2 boxes become fields and rows', async () => {
		const id = addInvoice();
		const body = webhooks().payload('v2-list', WORKFLOW, id) as IDataObject;
		const asDocument = await (await trigger({ outputFormat: 'document' })).deliver({ body });
		expect(asDocument.items).toEqual([body]);
		const fields = await (await trigger({ outputFormat: 'fields' })).deliver({ body });
		expect(fields.items.map((item) => `${item.field}=${item.value}@${item.page_number}`)).toEqual(['invoice_number=INV-501@1', 'total_amount=1,250.00@1', 'notes=deliver to dock 4@2']);
		const rows = await (await trigger({ outputFormat: 'tableRows', options: { rowFields: 'invoice_number' } })).deliver({ body });
		expect(rows.items.map((item) => [item.description, item.invoice_number, item.page_number, item.document_id])).toEqual([
			['Paper A4', 'INV-501', 1, id],
			['Toner', 'INV-501', 2, id],
		]);
	});

	test('reviewed values come first: moderated boxes over the predicted ones', async () => {
		const body = {
			result: {
				id: 'file-77',
				model_id: 'model-1',
				input: 'receipt.png',
				approval_status: 'approved',
				is_moderated: true,
				predicted_boxes: [{ label: 'total', ocr_text: '1O.00', score: 0.41, type: 'field', xmin: 1, ymin: 2, xmax: 3, ymax: 4 }],
				moderated_boxes: [{ label: 'total', ocr_text: '10.00', score: 1, type: 'field', xmin: 1, ymin: 2, xmax: 3, ymax: 4 }],
			},
		};
		const delivery = await (await trigger({ outputFormat: 'fields', options: { parseValues: true, minConfidence: 0.8 } })).deliver({ body });
		expect(delivery.items).toEqual([
			expect.objectContaining({ document_id: 'file-77', field: 'total', value: 10, confidence: 1, bbox: [1, 2, 3, 4], is_moderated: true, needs_review: false }),
		]);
		// Without moderated boxes, the prediction.
		const unreviewed = { result: { ...body.result, is_moderated: false, moderated_boxes: [] } };
		const predicted = await (await trigger({ outputFormat: 'simplified' })).deliver({ body: unreviewed });
		expect(predicted.items[0]).toMatchObject({ document_id: 'file-77', status: 'approved', fields: { total: '1O.00' } });
	});

	test('unknown shapes are emitted as they came, marked unrecognised, never dropped', async () => {
		const id = addInvoice();
		const odd = { event: 'something_new', data: { file: 'x' } };
		const delivery = await (await trigger()).deliver({ body: [odd, 42, webhooks().payload('v4', WORKFLOW, id)] });
		expect(delivery.items).toHaveLength(3);
		expect(delivery.items[0]).toEqual({ ...odd, unrecognised: true });
		expect(delivery.items[1]).toEqual({ body: 42, unrecognised: true });
		expectInvoice(delivery.items[2], id);
		// A v2 body with an entry of no known kind keeps it, next to the known one.
		const mixed = { result: [{ id: 'page-1', request_file_id: 'file-1', input: 'a.png', prediction: [] }, { note: 'what is this' }] };
		const both = await (await trigger({ outputFormat: 'document' })).deliver({ body: mixed });
		expect(both.items.map((item) => item.unrecognised ?? false)).toEqual([false, true]);
		expect(both.items[1]).toEqual({ note: 'what is this', unrecognised: true });
		// A body whose `result` holds nothing known comes whole, wrapper and all.
		const strange = { result: { verdict: 'ok' }, meta: 1 };
		expect((await (await trigger()).deliver({ body: strange })).items).toEqual([{ ...strange, unrecognised: true }]);
		// Even with Resolve Document: nothing is read for it.
		const resolved = await (await resolving()).deliver({ body: odd });
		expect(resolved.items).toEqual([{ ...odd, unrecognised: true }]);
	});
});

describe('the secret', () => {
	const SECRET = 'shh-9f3a-webhook-secret';

	test('without the token, or with a wrong one: 401, nothing starts; with it: 200 and items', async () => {
		const id = addInvoice();
		const node = await trigger({ secret: SECRET });
		const body = webhooks().payload('v4', WORKFLOW, id);
		const missing = await node.deliver({ body });
		const wrong = await node.deliver({ body, query: { token: 'shh-9f3a-webhook-secreT' } });
		const prefix = await node.deliver({ body, query: { token: SECRET.slice(0, -1) } });
		for (const refused of [missing, wrong, prefix]) {
			expect(refused.status).toBe(401);
			expect(refused.started).toBe(false);
			expect(JSON.stringify(refused.answer)).not.toContain(SECRET);
		}
		// A refused delivery is not remembered: the genuine one still starts.
		const accepted = await node.deliver({ body, query: { token: SECRET } });
		expect(accepted.status).toBe(200);
		expect(accepted.items).toHaveLength(1);
		for (const delivery of [missing, wrong, prefix, accepted]) expect(JSON.stringify(delivery)).not.toContain(SECRET);
		expect(JSON.stringify(node.staticData())).not.toContain(SECRET);
		expect(engineLog.join('\n')).not.toContain(SECRET);
	});

	test('without a secret every request is taken, token or not', async () => {
		const id = addInvoice();
		const delivery = await (await trigger()).deliver({ body: webhooks().payload('v4', WORKFLOW, id), query: { token: 'anything' } });
		expect(delivery.items).toHaveLength(1);
	});
});

describe('refused bodies start nothing', () => {
	test('over 5 MB: 413', async () => {
		const id = addInvoice();
		const body = { ...(webhooks().payload('v4', WORKFLOW, id) as IDataObject), padding: 'x'.repeat(5 * 1024 * 1024) };
		const delivery = await (await trigger()).deliver({ body });
		expect(delivery).toMatchObject({ status: 413, started: false });
		// Declared too large, whatever arrived.
		const declared = await (await trigger()).deliver({ body: { a: 1 }, headers: { 'content-length': String(6 * 1024 * 1024) } });
		expect(declared).toMatchObject({ status: 413, started: false });
	});

	test.each([
		['text/html', '<html>hello</html>'],
		['application/x-www-form-urlencoded', 'document_id=abc&status=success'],
		['application/xml', '<document><id>1</id></document>'],
		['application/json', '{"document_id": "abc", '],
		['text/plain', 'not json at all'],
		['application/json', '"just a string"'],
	])('%s %s: 400', async (type, text) => {
		const delivery = await (await trigger()).deliver({ body: type.includes('json') ? undefined : text, rawBody: text, headers: { 'content-type': type } });
		expect(delivery).toMatchObject({ status: 400, started: false });
	});

	test('JSON sent as text/plain or without a type is read', async () => {
		const id = addInvoice();
		const text = JSON.stringify(webhooks().payload('v4', WORKFLOW, id));
		for (const type of ['text/plain; charset=utf-8', '']) {
			const delivery = await (await trigger()).deliver({ body: text, rawBody: text, headers: { 'content-type': type } });
			expect(delivery.items).toHaveLength(1);
		}
	});
});

describe('resolution applies the output format as the Nanonets node does', () => {
	test.each(['document', 'simplified', 'fields', 'tableRows'])('%s', async (outputFormat) => {
		const id = addInvoice();
		const options = outputFormat === 'tableRows' ? { rowFields: 'invoice_number' } : outputFormat === 'document' ? {} : { parseValues: true, minConfidence: 0.95 };
		const delivery = await (await resolving({ outputFormat, options })).deliver({ body: webhooks().payload('v2-object', WORKFLOW, id) });
		const get = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: WORKFLOW, documentId: id, outputFormat, options },
			typeVersion: 2,
			credentials: credentialsFor(sandbox),
		});
		expect(jsonOf(get).length).toBeGreaterThan(0);
		expect(delivery.items).toEqual(jsonOf(get));
	});

	test('without a chosen Workflow, the one the export names is read; LowCodeAPI works too', async () => {
		const id = addInvoice();
		const node = await trigger({ resolveDocument: true, authentication: 'lowCodeApi', workflowId: { __rl: true, mode: 'list', value: '' } });
		const delivery = await node.deliver({ body: webhooks().payload('v2-object', WORKFLOW, id) });
		expectInvoice(delivery.items[0], id);
		expect(sandbox.requestsTo(`/nanonets/api/v4/workflows/${WORKFLOW}/documents/${id}`, 'GET')).toHaveLength(1);
	});

	test('answers 200 before reading the document', async () => {
		const id = addInvoice();
		v4(sandbox).v4.readDelayMs = 300;
		const delivery = await (await resolving()).deliver({ body: webhooks().payload('v4', WORKFLOW, id) });
		const [read] = reads(id);
		expect(delivery.status).toBe(200);
		expect(delivery.answeredAt).toBeLessThanOrEqual(read.at);
		expect(delivery.items).toHaveLength(1);
	});
});

describe('a delivery repeated by Nanonets starts the workflow once', () => {
	test('same file, same content: once; changed content after a review: again', async () => {
		const id = addInvoice();
		const node = await resolving();
		const body = webhooks().payload('v2-object', WORKFLOW, id);
		const first = await node.deliver({ body });
		const again = await node.deliver({ body: JSON.parse(JSON.stringify(body)) });
		expect(first.started).toBe(true);
		expect(again).toMatchObject({ status: 200, started: false, answer: { message: 'Received', documents: 1, started: 0 } });
		// A duplicate is answered at once and never read.
		expect(reads(id)).toHaveLength(1);

		// A reviewer corrects a value and approves: the export's content changed.
		const document = v4(sandbox).workflows.get(WORKFLOW)!.find((doc) => doc.document_id === id) as unknown as { pages: Array<{ data: { fields: Record<string, Array<{ value: string; is_moderated: boolean }>> } }>; verification?: unknown };
		document.pages[0].data.fields.total_amount[0] = { ...document.pages[0].data.fields.total_amount[0], value: '1,300.00', is_moderated: true };
		document.verification = { status: 'success', message: '' };
		const reviewed = await node.deliver({ body: webhooks().payload('v2-object', WORKFLOW, id) });
		expect(reviewed.started).toBe(true);
		expect(reviewed.items[0]).toMatchObject({ document_id: id, fields: { total_amount: '1,300.00' } });
		// The first content again, retried late: still remembered.
		expect((await node.deliver({ body })).started).toBe(false);
	});

	test('in one delivery, the same document twice starts once; the test URL always shows the delivery', async () => {
		const id = addInvoice();
		const body = webhooks().payload('v4', WORKFLOW, id);
		const node = await trigger();
		expect((await node.deliver({ body: [body, body] })).items).toHaveLength(1);
		expect((await node.deliver({ body })).started).toBe(false);
		expect((await node.deliver({ body, mode: 'manual' })).items).toHaveLength(1);
	});

	test('two copies handled at once, each by its own Workflow object as n8n builds one per request: one starts', async () => {
		const id = addInvoice();
		v4(sandbox).v4.readDelayMs = 200;
		const parameters = { resolveDocument: true, authentication: 'apiKey', workflowId: { __rl: true, mode: 'id', value: WORKFLOW }, outputFormat: 'simplified' };
		const shared = { workflowId: `shared-${id}` };
		const [one, two] = await Promise.all([webhookTrigger(parameters, credentialsFor(sandbox), shared), webhookTrigger(parameters, credentialsFor(sandbox), shared)]);
		const body = webhooks().payload('v4', WORKFLOW, id);
		const deliveries = await Promise.all([one.deliver({ body }), two.deliver({ body })]);
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(deliveries.filter((delivery) => delivery.started)).toHaveLength(1);
		expect(reads(id)).toHaveLength(1);
		// After a restart (no memory but the saved static data), the copy still starts nothing.
		const saved = (deliveries[0].started ? one : two).staticData();
		const restarted = await webhookTrigger(parameters, credentialsFor(sandbox), { workflowId: `restarted-${id}`, staticData: saved });
		expect((await restarted.deliver({ body })).started).toBe(false);
	});

	test('the memory is bounded', async () => {
		const node = await trigger({ outputFormat: 'document' });
		const body = (n: number) => ({ document_id: `doc-${n}`, status: 'success', pages: [] });
		const list = Array.from({ length: 1200 }, (_, n) => body(n));
		expect((await node.deliver({ body: list })).items).toHaveLength(1200);
		const saved = node.staticData();
		const state = Object.values(saved).find((value) => typeof value === 'object' && value !== null && 'nanonetsWebhook' in value) as IDataObject;
		const remembered = Object.keys((state.nanonetsWebhook as IDataObject).seen as IDataObject);
		expect(remembered).toHaveLength(1000);
	});
});

describe('failures', () => {
	test('a document whose read fails is emitted as it arrived, with the error; the others go on', async () => {
		const failing = addInvoice('failing.pdf');
		const fine = addInvoice('fine.pdf');
		v4(sandbox).v4.failingReads.set(failing, Infinity);
		const body = [webhooks().payload('v4', WORKFLOW, failing), webhooks().payload('v4', WORKFLOW, fine), { document_id: 'gone-1', status: 'success', pages: [] }];
		const delivery = await (await resolving()).deliver({ body });
		expect(delivery.items).toHaveLength(3);
		expect(delivery.items[0]).toMatchObject({ document_id: failing, original_document_name: 'failing.pdf', httpCode: '500', fields: { invoice_number: 'INV-501' } });
		expect(String(delivery.items[0].error)).toMatch(/500|Internal server error/);
		expect(delivery.items[1]).toMatchObject({ document_id: fine, status: 'success' });
		expect(delivery.items[1].error).toBeUndefined();
		expect(delivery.items[2]).toMatchObject({ document_id: 'gone-1', httpCode: '404' });
	});

	test('with no workflow to read from, the item says what to choose', async () => {
		const node = await trigger({ resolveDocument: true, workflowId: { __rl: true, mode: 'id', value: '' } });
		const delivery = await node.deliver({ body: { document_id: 'doc-1', status: 'success', pages: [] } });
		expect(delivery.items).toEqual([expect.objectContaining({ document_id: 'doc-1', error: expect.stringMatching(/No Nanonets workflow/), description: expect.stringMatching(/Choose the Workflow/) })]);
	});

	test('a refused credential: the error reaches the item, never the key', async () => {
		const id = addInvoice();
		const wrongKey = 'wrong-key-5b1d7c';
		const node = await webhookTrigger(
			{ resolveDocument: true, authentication: 'apiKey', workflowId: { __rl: true, mode: 'id', value: WORKFLOW }, outputFormat: 'fields' },
			{ nanonetsAppApi: { apiKey: wrongKey, baseUrl: sandbox.url, pagesPerMinute: 0 } },
		);
		const delivery: Delivery = await node.deliver({ body: webhooks().payload('v2-list', WORKFLOW, id) });
		expect(delivery.items.length).toBeGreaterThan(0);
		for (const item of delivery.items) expect(item).toMatchObject({ httpCode: '401', error: expect.any(String) });
		const text = JSON.stringify(delivery) + engineLog.join('\n');
		for (const form of [wrongKey, Buffer.from(`${wrongKey}:`).toString('base64'), sandbox.config.apiKey]) expect(text).not.toContain(form);
	});

	test('credentials never appear in resolved items', async () => {
		const id = addInvoice();
		for (const authentication of ['apiKey', 'lowCodeApi']) {
			for (const outputFormat of ['document', 'simplified', 'fields', 'tableRows']) {
				const delivery = await (await resolving({ authentication, outputFormat })).deliver({ body: webhooks().payload('v4', WORKFLOW, id), mode: 'manual' });
				const text = JSON.stringify(delivery.items);
				for (const secret of [sandbox.config.apiKey, sandbox.config.lowCodeToken, Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')]) expect(text).not.toContain(secret);
			}
		}
	});

	test('activation checks that the credential can read the chosen workflow', async () => {
		await expect((await resolving()).activate()).resolves.toBe(true);
		await expect((await resolving({ workflowId: { __rl: true, mode: 'id', value: 'wf-missing' } })).activate()).rejects.toThrow(/not found|404/i);
		// Nothing to check without Resolve Document or without a chosen workflow.
		await expect((await trigger()).activate()).resolves.toBe(true);
	});
});

describe('the sandbox exports to a registered URL', () => {
	let server: Server;
	let node: WebhookTrigger;
	const received: Delivery[] = [];
	beforeAll(async () => {
		// Stands in for n8n's webhook endpoint: each POST goes to the trigger, answered as it answers.
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				const rawBody = Buffer.concat(chunks);
				const url = new URL(req.url ?? '/', 'http://localhost');
				const delivery = await node.deliver({ body: JSON.parse(rawBody.toString()), rawBody, query: Object.fromEntries(url.searchParams), headers: { 'content-type': String(req.headers['content-type']) } });
				received.push(delivery);
				res.writeHead(delivery.status ?? 500, { 'Content-Type': 'application/json' }).end(JSON.stringify(delivery.answer ?? {}));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	const upload = async (name: string) => {
		const id = sandbox.addDocument(WORKFLOW, { pages: 2, spec, name });
		return id;
	};
	const waitForDeliveries = async (count: number) => {
		for (let i = 0; i < 200 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
		expect(received).toHaveLength(count);
	};

	test.each(['v4', 'v2-list', 'v2-object', 'v2-nested', 'list'])('%s: on processing and on verify, through the secret', async (variant) => {
		received.length = 0;
		node = await resolving({ secret: 'tok-123' });
		const { port } = server.address() as AddressInfo;
		webhooks().register({ url: `http://127.0.0.1:${port}/hook?token=tok-123`, variant, events: ['inference', 'approval', 'rejection'] });
		const id = await upload(`${variant}.pdf`);
		await waitForDeliveries(1);
		expectInvoice(received[0].items[0], id);

		// Approved through the API, as a reviewer (or the Nanonets node's Verify) does.
		const verify = await fetch(`${sandbox.url}/api/v4/workflows/${WORKFLOW}/documents/${id}/verify`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ verification_status: 'success', verification_message: 'ok' }),
		});
		expect(verify.status).toBe(200);
		await waitForDeliveries(2);
		expect(received[1].items[0]).toMatchObject({ document_id: id });
		const sent = webhooks().deliveries.filter((entry) => entry.document_id === id);
		expect(sent.map((entry) => [entry.event, entry.variant, entry.status])).toEqual([
			['inference', variant, 200],
			['approval', variant, 200],
		]);
	});

	test('a wrong token in the registered URL: Nanonets gets 401, nothing starts', async () => {
		received.length = 0;
		node = await trigger({ secret: 'tok-123' });
		const { port } = server.address() as AddressInfo;
		webhooks().register({ url: `http://127.0.0.1:${port}/hook?token=nope`, variant: 'v4', events: ['inference'] });
		const id = await upload('refused.pdf');
		await waitForDeliveries(1);
		expect(received[0]).toMatchObject({ status: 401, started: false });
		expect(webhooks().deliveries.find((entry) => entry.document_id === id)?.status).toBe(401);
	});

	test('an export Nanonets sends twice starts once', async () => {
		received.length = 0;
		node = await trigger();
		const { port } = server.address() as AddressInfo;
		webhooks().register({ url: `http://127.0.0.1:${port}/hook`, variant: 'v2-list', events: ['inference'], repeat: 2 });
		await upload('twice.pdf');
		await waitForDeliveries(2);
		expect(received.map((delivery) => [delivery.status, delivery.started])).toEqual([
			[200, true],
			[200, false],
		]);
	});
});
