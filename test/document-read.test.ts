import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, workflows: ['wf-invoices', 'wf-big', 'wf-empty'] });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const spec = {
	pages: [
		{ fields: { invoice_number: 'INV-7' }, rows: [['Lamp', '1', '25.00', '25.00']] },
		{ fields: { notes: 'fragile' }, rows: [['Bulb', '4', '2.50', '10.00'], ['Cable', '1', '5.00', '5.00']] },
	],
};

const read = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation,
	workflowId: 'wf-invoices',
	...extra,
});

test('Get returns a processed document in each output format', async () => {
	const documentId = sandbox.addDocument('wf-invoices', { pages: 2, spec, name: 'lamp.pdf' });
	const credentials = credentialsFor(sandbox);

	const asDocument = jsonOf(await runNode({ parameters: read('get', { documentId }), credentials }));
	expect(asDocument).toHaveLength(1);
	expect(asDocument[0]).toMatchObject({ document_id: documentId, status: 'success', original_document_name: 'lamp.pdf' });

	const simplified = jsonOf(await runNode({ parameters: read('get', { documentId, outputFormat: 'simplified' }), credentials }));
	expect(simplified[0].fields).toEqual({ invoice_number: 'INV-7', notes: 'fragile' });

	const fields = jsonOf(await runNode({ parameters: read('get', { documentId, outputFormat: 'fields' }), credentials }));
	expect(fields.map((f) => `${f.field}=${f.value}@${f.page_number}`)).toEqual(['invoice_number=INV-7@1', 'notes=fragile@2']);

	const rows = jsonOf(await runNode({ parameters: read('get', { documentId, outputFormat: 'tableRows' }), credentials }));
	expect(rows.map((r) => [r.page_number, r.row, r.description])).toEqual([
		[1, 0, 'Lamp'],
		[2, 0, 'Bulb'],
		[2, 1, 'Cable'],
	]);
});

test('Get Page returns one page, shaped by the output format', async () => {
	const documentId = sandbox.addDocument('wf-invoices', { pages: 2, spec });
	const pageId = `${documentId}-p2`;
	const credentials = credentialsFor(sandbox);

	const [page] = jsonOf(await runNode({ parameters: read('getPage', { documentId, pageId }), credentials }));
	expect(page).toMatchObject({ page_id: pageId, page_number: 2 });

	const rows = jsonOf(await runNode({ parameters: read('getPage', { documentId, pageId, outputFormat: 'tableRows' }), credentials }));
	expect(rows.map((r) => r.description)).toEqual(['Bulb', 'Cable']);
	expect(rows[0]).toMatchObject({ document_id: documentId, page_id: pageId, page_number: 2 });

	const [simplified] = jsonOf(await runNode({ parameters: read('getPage', { documentId, pageId, outputFormat: 'simplified' }), credentials }));
	expect(simplified.fields).toEqual({ notes: 'fragile' });
});

test('Get Many lists newest first and stops at the limit', async () => {
	for (let i = 1; i <= 5; i++) sandbox.addDocument('wf-invoices', { name: `doc-${i}.pdf` });
	const result = await runNode({ parameters: read('getAll', { limit: 3 }), credentials: credentialsFor(sandbox) });
	const names = jsonOf(result).map((d) => d.original_document_name);
	expect(names).toEqual(['doc-5.pdf', 'doc-4.pdf', 'doc-3.pdf']);
	expect(sandbox.requestsTo('/documents', 'GET')).toHaveLength(1);
	expect(sandbox.requestsTo('/documents', 'GET')[0].query).toMatchObject({ page: '1', limit: '3' });
});

test('Get Many with Return All follows the pages to the end', async () => {
	for (let i = 0; i < 230; i++) sandbox.addDocument('wf-big', { name: `doc-${i}.pdf` });
	const result = await runNode({
		parameters: read('getAll', { workflowId: 'wf-big', returnAll: true }),
		credentials: credentialsFor(sandbox),
	});
	const documents = jsonOf(result);
	expect(documents).toHaveLength(230);
	expect(new Set(documents.map((d) => d.document_id)).size).toBe(230);
	expect(documents[0].original_document_name).toBe('doc-229.pdf');
	expect(documents[229].original_document_name).toBe('doc-0.pdf');
	expect(sandbox.requestsTo('/documents', 'GET').map((r) => r.query.page)).toEqual(['1', '2', '3']);
});

test('Get Many of an empty workflow returns no items and no error', async () => {
	const result = await runNode({ parameters: read('getAll', { workflowId: 'wf-empty', returnAll: true }), credentials: credentialsFor(sandbox) });
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(0);
});

test('Delete removes the document; getting it afterwards is a clear 404', async () => {
	const documentId = sandbox.addDocument('wf-invoices');
	const credentials = credentialsFor(sandbox);
	const deleted = await runNode({ parameters: read('delete', { documentId }), credentials });
	expect(jsonOf(deleted)).toEqual([{ document_id: documentId, deleted: true, message: 'Document deleted successfully' }]);

	const missing = await runNode({ parameters: read('get', { documentId }), credentials });
	expect(missing.items).toHaveLength(0);
	expect(missing.error?.message).toContain('Not found');
	expect(missing.error?.message).toContain(`Document ${documentId} not found`);
	expect(String(missing.error?.httpCode)).toBe('404');
});
