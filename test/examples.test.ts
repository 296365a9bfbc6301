import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, PACKAGE_NAME, PACKAGE_ROOT, pollNode, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';
import { outputOf, runWorkflow } from './engine/workflow';
import { webhookTrigger } from './engine/webhookTrigger';

/**
 * The workflows in examples/ import into n8n as they are. Their Nanonets nodes run here in the
 * engine against the sandbox, with the other services' nodes replaced by pinned input items.
 */
interface ExampleNode {
	name: string;
	type: string;
	parameters: INodeParameters;
	onError?: string;
	credentials?: Record<string, { name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const EXAMPLES_DIR = join(PACKAGE_ROOT, 'examples');
const load = (file: string) => JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Example;
const nodeOf = (example: Example, type: string) => example.nodes.find((node) => node.type === `${PACKAGE_NAME}.${type}`)!;
/** The placeholder a user replaces with their workflow's ID, swapped for the sandbox's. */
const withWorkflow = (parameters: INodeParameters) => ({ ...parameters, workflowId: 'wf-invoices' });

const invoice = {
	fields: { invoice_number: 'INV-77', invoice_date: '12 March 2026', total_amount: '300.00', seller_name: 'Acme' },
	rows: [
		['Paper', '2', '50.00', '100.00'],
		['Toner', '1', '200.00', '200.00'],
	],
};

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 100, perPageMs: 10 });
});
afterAll(async () => await sandbox.close());

test.each(readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')))('%s is a well-formed workflow', (file) => {
	const example = load(file);
	expect(example.name).toEqual(expect.any(String));
	const names = new Set(example.nodes.map((node) => node.name));
	expect(names.size).toBe(example.nodes.length);
	for (const [from, { main }] of Object.entries(example.connections)) {
		expect(names.has(from)).toBe(true);
		for (const target of main.flat()) expect(names.has(target.node)).toBe(true);
	}
	const ours = example.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
	expect(ours.length).toBeGreaterThan(0);
	for (const node of ours) {
		expect(['nanonets', 'nanonetsTrigger', 'nanonetsWebhookTrigger']).toContain(node.type.split('.')[1]);
		// No secrets or credential IDs from anyone's n8n: the user picks their own credential.
		expect(Object.values(node.credentials ?? {}).every((credential) => !('id' in credential) || (credential as IDataObject).id === '')).toBe(true);
	}
});

test('invoice-to-sheet: an email attachment becomes one row per invoice line', async () => {
	const example = load('invoice-to-sheet.json');
	const nanonets = nodeOf(example, 'nanonets');
	// What the IMAP node emits: the mail's fields, attachments as attachment_0, attachment_1, ...
	const email = binaryItem(makePdf({ spec: invoice }), 'invoice-77.pdf', 'application/pdf', { from: 'billing@acme.example', subject: 'Invoice 77' });
	email.binary = { attachment_0: email.binary!.data };

	const result = await runNode({ parameters: withWorkflow(nanonets.parameters), items: [email], credentials: credentialsFor(sandbox) });
	expect(result.error).toBeUndefined();
	const rows = jsonOf(result);
	expect(rows.map((row) => [row.description, row.amount])).toEqual([
		['Paper', '100.00'],
		['Toner', '200.00'],
	]);
	expect(rows[0]).toMatchObject({ row: expect.any(Number), document_id: expect.any(String) });
	// Each row is sheet-ready: the invoice's own fields, the file name and the mail it came in.
	for (const row of rows) {
		expect(row).toMatchObject({
			invoice_number: 'INV-77',
			invoice_date: '2026-03-12',
			seller_name: 'Acme',
			original_document_name: 'invoice-77.pdf',
			metadata: { from: 'billing@acme.example', subject: 'Invoice 77' },
		});
	}
	expect(Object.keys(rows[0])[0]).toBe('description');
	// The metadata expression carried the mail's sender to Nanonets.
	const [document] = [...sandbox.state.workflows.get('wf-invoices')!] as IDataObject[];
	expect(String(document.metadata)).toContain('billing@acme.example');
});

test('folder-to-nanonets: a bad file goes to "Record failure", the good one on', async () => {
	const example = load('folder-to-nanonets.json');
	const nanonets = nodeOf(example, 'nanonets');
	const [success, failure] = example.connections.Nanonets.main;
	expect(success.map((target) => target.node)).toEqual(['Save extracted data']);
	expect(failure.map((target) => target.node)).toEqual(['Record failure']);

	// The node as the example sets it up: Settings > On Error > "Continue (using error output)".
	const result = await runNode({
		parameters: withWorkflow(nanonets.parameters),
		items: [binaryItem(makePdf({ spec: invoice }), 'good.pdf'), binaryItem(Buffer.from('MZ not a document'), 'bad.exe', 'application/octet-stream')],
		credentials: credentialsFor(sandbox),
		onError: nanonets.onError as 'continueErrorOutput',
	});
	expect(result.error).toBeUndefined();
	expect(jsonOf(result)).toEqual([expect.objectContaining({ status: 'success', original_document_name: 'good.pdf', fields: invoice.fields })]);
	expect(result.errorItems).toHaveLength(1);
	const [bad] = result.errorItems;
	expect(bad.pairedItem).toEqual({ item: 1 });
	// "Record failure" reads the reason from $json.error.
	expect(bad.json.error).toMatch(/bad\.exe/);
});

test('trigger-approval: a processed invoice starts the approval with its fields', async () => {
	const example = load('trigger-approval.json');
	const trigger = nodeOf(example, 'nanonetsTrigger');
	const parameters = withWorkflow(trigger.parameters);

	const first = await pollNode({ parameters, credentials: credentialsFor(sandbox) });
	expect(first.items).toEqual([]);
	await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices' },
		items: [binaryItem(makePdf({ spec: invoice }), 'to-approve.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const second = await pollNode({ parameters, credentials: credentialsFor(sandbox), staticData: first.staticData });
	expect(second.error).toBeUndefined();
	expect(jsonOf({ items: second.items } as never)).toEqual([
		expect.objectContaining({ original_document_name: 'to-approve.pdf', fields: invoice.fields }),
	]);
	// The approval mail reads these fields.
	const mail = example.nodes.find((node) => node.name === 'Ask for approval')!;
	expect(String(mail.parameters.subject)).toContain('$json.fields.invoice_number');
});

test('review-loop: an unsure invoice is rejected by the reviewer in Nanonets, a confident one approved', async () => {
	const example = load('review-loop.json');
	const placeholder = 'YOUR_NANONETS_WORKFLOW_ID';
	// The user's workflow ID and credential, as they would pick them.
	const nodes = example.nodes.map((node) => ({
		...node,
		id: node.name,
		position: [0, 0] as [number, number],
		typeVersion: (node as unknown as { typeVersion: number }).typeVersion,
		parameters: JSON.parse(JSON.stringify(node.parameters).split(placeholder).join('wf-invoices')) as INodeParameters,
		credentials: node.credentials ? { nanonetsAppApi: { id: '1', name: 'Nanonets API Key' } } : undefined,
	}));
	const unsure = { ...invoice, confidence: { total_amount: 0.42 } };
	const sure = { ...invoice, confidence: { invoice_number: 0.97, invoice_date: 0.93, total_amount: 0.95, seller_name: 0.99 } };
	const reviewerMessage = 'Total does not match the purchase order';

	const run = await runWorkflow({
		nodes,
		connections: example.connections as never,
		startNode: 'Upload to Nanonets',
		items: [binaryItem(makePdf({ spec: unsure }), 'unsure.pdf'), binaryItem(makePdf({ spec: sure }), 'sure.pdf')],
		// The reviewer's answer to the mail, as the Gmail node gives it once the form is sent.
		pinData: { 'Ask reviewer': [{ json: { data: { Decision: 'Reject', Message: reviewerMessage } } }] },
		credentials: credentialsFor(sandbox),
	});
	expect(run.data.resultData.error).toBeUndefined();

	const [uploadedUnsure, uploadedSure] = outputOf(run, 'Upload to Nanonets').map((item) => item.json);
	expect(uploadedUnsure).toMatchObject({ needs_review: true, low_confidence_fields: ['total_amount'] });
	expect(uploadedSure).toMatchObject({ needs_review: false });
	// Keep Binary: the file goes on with the data, for a later node to store.
	expect(outputOf(run, 'Upload to Nanonets')[0].binary?.data).toMatchObject({ fileName: 'unsure.pdf' });

	expect(outputOf(run, 'Send decision to Nanonets').map((item) => item.json)).toEqual([
		expect.objectContaining({ document_id: uploadedUnsure.document_id, verification_status: 'failed', verification_message: reviewerMessage }),
	]);
	expect(outputOf(run, 'Approve in Nanonets').map((item) => item.json)).toEqual([
		expect.objectContaining({ document_id: uploadedSure.document_id, verification_status: 'success' }),
	]);
	// And Nanonets has recorded both decisions.
	const documents = sandbox.state.workflows.get('wf-invoices') as IDataObject[];
	const stored = (id: unknown) => documents.find((document) => document.document_id === id)?.verification as IDataObject;
	expect(stored(uploadedUnsure.document_id)).toEqual({ status: 'failed', message: reviewerMessage });
	expect(stored(uploadedSure.document_id)).toEqual({ status: 'success', message: 'Every field read with a confidence of at least 0.8' });
});

test('approved-to-sheet: an approval exported by Nanonets becomes sheet rows, each with the invoice\'s fields', async () => {
	const example = load('approved-to-sheet.json');
	const node = nodeOf(example, 'nanonetsWebhookTrigger');
	const parameters = JSON.parse(JSON.stringify(node.parameters).split('YOUR_NANONETS_WORKFLOW_ID').join('wf-invoices')) as INodeParameters;
	const id = sandbox.addDocument('wf-invoices', { spec: { ...invoice, delayMs: 0 }, name: 'approved.pdf' });
	const { webhooks } = sandbox.state as unknown as { webhooks: { payload(variant: string, workflowId: string, documentId: string): unknown } };
	const trigger = await webhookTrigger(parameters, credentialsFor(sandbox));
	const delivery = await trigger.deliver({ body: webhooks.payload('v2-object', 'wf-invoices', id) });
	expect(delivery.status).toBe(200);
	expect(delivery.items.map((row) => [row.description, row.amount])).toEqual([
		['Paper', '100.00'],
		['Toner', '200.00'],
	]);
	for (const row of delivery.items) {
		expect(row).toMatchObject({ invoice_number: 'INV-77', invoice_date: '2026-03-12', seller_name: 'Acme', document_id: id, original_document_name: 'approved.pdf' });
		// The filter after the trigger keeps rows without an error.
		expect(row.error).toBeUndefined();
	}
	const filter = example.nodes.find((entry) => entry.name === 'Read without errors')!;
	expect(JSON.stringify(filter.parameters)).toContain('$json.error');
});
