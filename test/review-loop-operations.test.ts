/**
 * Version 2's workflow and review operations, in the engine against the sandbox: list and read
 * workflows, verify a document, correct a field value, download the original file; each through
 * both credentials, against every answer variant Nanonets' sources describe, with bad input
 * refused before anything is sent and Continue On Fail keeping the other items going.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const WORKFLOW = '8d5e2f9a-4c1b-4e8a-9f3d-2b6c7a1e0f45';
const invoice = { fields: { invoice_number: 'INV-9', total_amount: '120.00' }, rows: [['Chair', '1', '120.00', '120.00']] };

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({
		processingMs: 0,
		perPageMs: 0,
		workflows: [WORKFLOW, 'wf-receipts'],
		workflowNames: { [WORKFLOW]: 'Supplier invoices', 'wf-receipts': 'Expense receipts' },
		workflowSpecs: { [WORKFLOW]: { fields: ['invoice_number', 'total_amount'], table_headers: ['description', 'amount'] } },
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const variants = (name: string, value: string) => {
	sandbox.config.reviewVariants = { ...(sandbox.config.reviewVariants as object), [name]: value };
};
afterEach(() => delete sandbox.config.reviewVariants);

const authentications = ['apiKey', 'lowCodeApi'];
const run = (parameters: INodeParameters, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ typeVersion: 2, parameters, credentials: credentialsFor(sandbox), ...extra });

/** The document as the next Get shows it, in the Document format. */
async function documentNow(documentId: string): Promise<IDataObject> {
	const result = await run({ resource: 'document', operation: 'get', workflowId: WORKFLOW, documentId, outputFormat: 'document' });
	return jsonOf(result)[0];
}

describe.each(authentications)('workflows (%s)', (authentication) => {
	test.each(['wrapped', 'array'])('Get Many lists the account\'s workflows (%s answer); Limit cuts it', async (shape) => {
		sandbox.config.workflowListShape = shape;
		try {
			const all = jsonOf(await run({ authentication, resource: 'workflow', operation: 'getAll', returnAll: true }));
			expect(all.map((workflow) => [workflow.id, workflow.description])).toEqual([
				[WORKFLOW, 'Supplier invoices'],
				['wf-receipts', 'Expense receipts'],
			]);
			const one = jsonOf(await run({ authentication, resource: 'workflow', operation: 'getAll', returnAll: false, limit: 1 }));
			expect(one.map((workflow) => workflow.id)).toEqual([WORKFLOW]);
		} finally {
			delete sandbox.config.workflowListShape;
		}
	});

	test('Get returns the workflow\'s fields, table headers and settings', async () => {
		const [workflow] = jsonOf(await run({ authentication, resource: 'workflow', operation: 'get', workflowId: { __rl: true, mode: 'list', value: WORKFLOW } }));
		expect(workflow).toMatchObject({
			id: WORKFLOW,
			description: 'Supplier invoices',
			settings: { table_capture: true },
		});
		expect((workflow.fields as IDataObject[]).map((field) => field.name)).toEqual(['invoice_number', 'total_amount']);
		expect((workflow.table_headers as IDataObject[]).map((header) => header.name)).toEqual(['description', 'amount']);
	});
});

test('an account holds at most 20 workflows: Get Many returns all 20 in one request', async () => {
	const full = await openSandbox({ workflows: [] });
	const state = full.state as unknown as { addWorkflow(id: string, name: string): string };
	try {
		const ids = Array.from({ length: 20 }, (_, i) => state.addWorkflow(`wf-${String(i + 1).padStart(2, '0')}`, `Workflow ${i + 1}`));
		// The 21st is refused, as Nanonets refuses it.
		expect(() => state.addWorkflow('wf-21', 'One too many')).toThrow();
		const result = await runNode({ typeVersion: 2, parameters: { resource: 'workflow', operation: 'getAll', returnAll: true }, credentials: credentialsFor(full) });
		expect(jsonOf(result).map((workflow) => workflow.id)).toEqual(ids);
		expect(full.requestsTo('/api/v4/workflows', 'GET')).toHaveLength(1);
	} finally {
		await full.close();
	}
});

describe.each(authentications)('Verify (%s)', (authentication) => {
	test.each(['document', 'empty'])('approves and rejects with a message; the next Get shows it (%s answer)', async (variant) => {
		variants('verify', variant);
		const documentId = sandbox.addDocument(WORKFLOW, { spec: invoice });
		const rejected = await run({
			authentication,
			resource: 'document',
			operation: 'verify',
			workflowId: WORKFLOW,
			documentId,
			verificationStatus: 'failed',
			verificationMessage: 'Total does not match the order',
		});
		expect(rejected.error).toBeUndefined();
		expect(jsonOf(rejected)).toEqual([
			{ document_id: documentId, workflow_id: WORKFLOW, verification_status: 'failed', verification_message: 'Total does not match the order' },
		]);
		expect(await documentNow(documentId)).toMatchObject({ verification_status: 'failed', verification_message: 'Total does not match the order' });

		const approved = await run({ authentication, resource: 'document', operation: 'verify', workflowId: WORKFLOW, documentId });
		expect(jsonOf(approved)[0]).toMatchObject({ verification_status: 'success', verification_message: '' });
		expect(await documentNow(documentId)).toMatchObject({ verification_status: 'success' });
	});
});

describe.each(authentications)('Update Field (%s)', (authentication) => {
	test.each(['field', 'empty'])('corrects a value; the next Get shows it, moderated (%s answer)', async (variant) => {
		variants('updateField', variant);
		const documentId = sandbox.addDocument(WORKFLOW, { spec: invoice });
		const fieldsOf = async () =>
			jsonOf(await run({ authentication, resource: 'document', operation: 'get', workflowId: WORKFLOW, documentId, outputFormat: 'fields' }));
		const total = (await fieldsOf()).find((field) => field.field === 'total_amount')!;
		expect(total).toMatchObject({ value: '120.00', is_moderated: false });

		const result = await run({
			authentication,
			resource: 'document',
			operation: 'updateField',
			workflowId: WORKFLOW,
			documentId,
			pageId: total.page_id as string,
			fieldDataId: total.field_data_id as string,
			value: '125.00',
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({
			document_id: documentId,
			page_id: total.page_id,
			field_data_id: total.field_data_id,
			value: '125.00',
			field_name: variant === 'field' ? 'total_amount' : null,
		});
		const after = (await fieldsOf()).find((field) => field.field === 'total_amount')!;
		expect(after).toMatchObject({ value: '125.00', is_moderated: true, field_data_id: total.field_data_id });
	});
});

describe.each(authentications)('Get Original File (%s)', (authentication) => {
	test.each(['file', 'json-url', 'redirect'])('gives the uploaded file as binary data with its name and type (%s answer)', async (variant) => {
		variants('original', variant);
		const pdf = makePdf({ spec: invoice, title: 'Original' });
		const documentId = sandbox.addDocument(WORKFLOW, { spec: invoice, name: 'march invoice.pdf', file: pdf });
		const result = await run({
			authentication,
			resource: 'document',
			operation: 'getOriginal',
			workflowId: WORKFLOW,
			documentId,
			binaryPropertyName: 'invoice',
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toEqual({
			document_id: documentId,
			workflow_id: WORKFLOW,
			file_name: 'march invoice.pdf',
			mime_type: 'application/pdf',
			file_size: pdf.length,
		});
		expect(item.binary?.invoice).toMatchObject({ fileName: 'march invoice.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(item.binary!.invoice.data, 'base64').equals(pdf)).toBe(true);
	});
});

test('Get Original File: a PNG keeps its type; JSON without a download address is an error', async () => {
	const png = makePng();
	const documentId = sandbox.addDocument(WORKFLOW, { name: 'receipt.png', file: png });
	const [item] = (await run({ resource: 'document', operation: 'getOriginal', workflowId: WORKFLOW, documentId })).items;
	expect(item.binary?.data).toMatchObject({ fileName: 'receipt.png', mimeType: 'image/png' });

	sandbox.fault({ path: '/original', body: { message: 'ok' } });
	variants('original', 'json-url');
	const failed = await run({ resource: 'document', operation: 'getOriginal', workflowId: WORKFLOW, documentId });
	expect(failed.error?.message).toMatch(/no file and no download address for document/);
});

// n8n itself refuses a literally empty required parameter; a blank one (spaces, or an expression
// that gives nothing) reaches the node, which refuses it.
describe('bad input is refused before anything is sent', () => {
	const documentId = 'doc-1';
	test.each([
		['an empty Document ID', { operation: 'verify', documentId: ' ' }, /"Document ID" parameter is empty/],
		['a verification status not listed', { operation: 'verify', documentId, verificationStatus: 'approved' }, /must be "success" or "failed", not "approved"/],
		['an empty Page ID', { operation: 'updateField', documentId, pageId: '={{ "" }}', fieldDataId: 'f', value: 'x' }, /"Page ID" parameter is empty/],
		['an empty Field Data ID', { operation: 'updateField', documentId, pageId: 'p', fieldDataId: ' ', value: 'x' }, /"Field Data ID" parameter is empty/],
		['an empty Document ID for the original', { operation: 'getOriginal', documentId: '={{ $json.missing }}' }, /"Document ID" parameter is empty/],
		['an empty output field', { operation: 'getOriginal', documentId, binaryPropertyName: ' ' }, /"Put Output File in Field" parameter is empty/],
		['a confidence above 1', { operation: 'get', documentId, options: { minConfidence: 1.5 } }, /"Min Confidence" parameter must be between 0 and 1, not 1.5/],
		['a confidence below 0', { operation: 'get', documentId, options: { minConfidence: -0.1 } }, /"Min Confidence" parameter must be between 0 and 1, not -0.1/],
	])('%s', async (_what, parameters, message) => {
		const result = await run({ resource: 'document', workflowId: WORKFLOW, ...parameters });
		expect(result.error?.message).toMatch(message);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	test('an empty Workflow for Workflow > Get is refused by n8n', async () => {
		await expect(run({ resource: 'workflow', operation: 'get', workflowId: { __rl: true, mode: 'id', value: '' } })).rejects.toThrow(/Parameter "Workflow" is required/);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});

describe('Continue On Fail: a failing item becomes an error item, the others go on', () => {
	test('workflow > getAll: an item with a bad Limit fails alone', async () => {
		const result = await run(
			{ resource: 'workflow', operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
			{ items: [{ json: { limit: 1 } }, { json: { limit: 0 } }], continueOnFail: true },
		);
		const output = jsonOf(result);
		expect(output.map((item) => item.id ?? item.error)).toEqual([WORKFLOW, expect.stringMatching(/"Limit" parameter must be between 1 and 100, not 0/)]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('workflow > get', async () => {
		const result = await run(
			{ resource: 'workflow', operation: 'get', workflowId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			{ items: [WORKFLOW, 'missing-workflow', 'wf-receipts'].map((id) => ({ json: { id } })), continueOnFail: true },
		);
		expect(jsonOf(result).map((item) => item.id ?? item.error)).toEqual([WORKFLOW, expect.stringMatching(/Not found.*missing-workflow/), 'wf-receipts']);
	});

	test.each([
		['verify', (id: string) => ({ documentId: id, verificationStatus: 'failed', verificationMessage: 'wrong' })],
		['updateField', (id: string) => ({ documentId: id, pageId: `${id}-p1`, fieldDataId: `${id}-p1-invoice_number-0`, value: 'INV-10' })],
		['getOriginal', (id: string) => ({ documentId: id })],
	])('%s', async (operation, parametersFor) => {
		const good = sandbox.addDocument(WORKFLOW, { spec: invoice, name: 'good.pdf' });
		const items = [good, 'missing-document', good].map((id) => ({ json: { id } }));
		const mapped = Object.fromEntries(Object.entries(parametersFor('{{ $json.id }}')).map(([key, value]) => [key, `=${value}`]));
		const result = await run(
			{ resource: 'document', operation, workflowId: WORKFLOW, ...mapped, ...(operation === 'verify' ? { verificationStatus: 'failed' } : {}) },
			{ items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const output = jsonOf(result);
		expect(output).toHaveLength(3);
		expect(output[1].error).toMatch(/Not found.*missing-document/);
		expect(output[0]).toMatchObject({ document_id: good });
		expect(output[2]).toMatchObject({ document_id: good });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('without Continue On Fail the first failure stops the node', async () => {
		const result = await run({ resource: 'document', operation: 'verify', workflowId: WORKFLOW, documentId: 'missing-document' });
		expect(result.error?.message).toMatch(/Not found/);
	});
});

test('through LowCodeAPI without v4 endpoints, a 404 says to use the API Key credential', async () => {
	sandbox.config.lowCodeCoversV4 = false;
	try {
		for (const parameters of [
			{ resource: 'workflow', operation: 'getAll' },
			{ resource: 'workflow', operation: 'get', workflowId: WORKFLOW },
			{ resource: 'document', operation: 'verify', workflowId: WORKFLOW, documentId: 'doc-1' },
			{ resource: 'document', operation: 'updateField', workflowId: WORKFLOW, documentId: 'doc-1', pageId: 'p', fieldDataId: 'f', value: 'v' },
			{ resource: 'document', operation: 'getOriginal', workflowId: WORKFLOW, documentId: 'doc-1' },
		]) {
			const result = await run({ authentication: 'lowCodeApi', ...parameters });
			expect(result.error?.message).toMatch(/Not found \(through LowCodeAPI\)/);
			expect(`${result.error?.message} ${result.error?.description}`).toMatch(/use the "Nanonets API" credential/);
		}
	} finally {
		sandbox.config.lowCodeCoversV4 = true;
	}
});

describe('version 1 is unchanged', () => {
	test.each([
		['document', 'verify'],
		['document', 'updateField'],
		['document', 'getOriginal'],
		['workflow', 'getAll'],
	])('%s > %s is not an operation of version 1', async (resource, operation) => {
		const result = await runNode({
			typeVersion: 1,
			parameters: { resource, operation, workflowId: WORKFLOW, documentId: 'doc-1', pageId: 'p', fieldDataId: 'f' },
			credentials: credentialsFor(sandbox),
		});
		// A resource version 1 never had has no Operation parameter there at all.
		expect(result.error?.message).toMatch(resource === 'workflow' ? /Could not get parameter "operation"/ : /needs version 2 of the Nanonets node/);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	test('options Min Confidence and Keep Binary change nothing in version 1', async () => {
		const result = await runNode({
			typeVersion: 1,
			parameters: { resource: 'document', operation: 'upload', workflowId: WORKFLOW, outputFormat: 'simplified', options: { minConfidence: 0.99, keepBinary: true } },
			items: [binaryItem(makePdf({ spec: invoice }), 'v1.pdf')],
			credentials: credentialsFor(sandbox),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).not.toHaveProperty('needs_review');
		expect(result.items[0].binary).toBeUndefined();
	});
});

describe.each(['json-url', 'redirect'])('Get Original File from a link on another host (%s answer)', (variant) => {
	test('the download carries neither the API key nor the LowCodeAPI token', async () => {
		const pdf = makePdf({ title: 'Stored elsewhere' });
		const seen: Array<{ url: string; authorization?: string }> = [];
		const storage = createServer((request, response) => {
			seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
			response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
			response.end(pdf);
		});
		await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
		const { port } = storage.address() as AddressInfo;
		sandbox.config.originalFileUrl = () => `http://localhost:${port}/bucket/scan.pdf?X-Signature=abc`;
		variants('original', variant);
		try {
			for (const authentication of authentications) {
				const documentId = sandbox.addDocument(WORKFLOW, { name: 'stored.pdf', file: pdf });
				const result = await run({ authentication, resource: 'document', operation: 'getOriginal', workflowId: WORKFLOW, documentId });
				expect(result.error).toBeUndefined();
				expect(result.items[0].binary?.data).toMatchObject({ fileName: 'stored.pdf', mimeType: 'application/pdf' });
				expect(Buffer.from(result.items[0].binary!.data.data, 'base64').equals(pdf)).toBe(true);
			}
			expect(seen).toHaveLength(2);
			// An expired link: the error says so, without the link's signature.
			const expiring = createServer((_request, response) => {
				response.writeHead(403, { 'Content-Type': 'application/xml' });
				response.end('<Error><Code>AccessDenied</Code></Error>');
			});
			await new Promise<void>((resolve) => expiring.listen(0, '127.0.0.1', resolve));
			sandbox.config.originalFileUrl = () => `http://localhost:${(expiring.address() as AddressInfo).port}/bucket/old.pdf?X-Signature=secret-sig`;
			const documentId = sandbox.addDocument(WORKFLOW, { name: 'old.pdf' });
			const expired = await run({ resource: 'document', operation: 'getOriginal', workflowId: WORKFLOW, documentId });
			await new Promise((resolve) => expiring.close(resolve));
			expect(expired.error?.message).toMatch(/The original file's download link answered 403: http:\/\/localhost:\d+\/bucket\/old.pdf$/);
			expect(expired.error?.description).toMatch(/expire/);
			expect(JSON.stringify(expired.error)).not.toContain('secret-sig');
			for (const request of seen) {
				expect(request.authorization).toBeUndefined();
				expect(request.url).toBe('/bucket/scan.pdf?X-Signature=abc');
			}
		} finally {
			delete sandbox.config.originalFileUrl;
			await new Promise((resolve) => storage.close(resolve));
		}
	});
});
