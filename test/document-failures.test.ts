import { binaryItem, makeExe, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 100, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const upload = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	outputFormat: 'simplified',
	...extra,
});
const pdf = () => binaryItem(makePdf(), 'invoice.pdf');

test('a wrong API key is a 401 that says which credential to check', async () => {
	const credentials = credentialsFor(sandbox);
	credentials.nanonetsAppApi.apiKey = 'not-the-key';
	const result = await runNode({ parameters: upload(), items: [pdf()], credentials });
	expect(result.error?.message).toContain('Nanonets refused the credentials');
	expect(result.error?.message).toContain('Invalid API key');
	expect(result.error?.description).toContain('"Nanonets API" credential');
	expect(String(result.error?.httpCode)).toBe('401');
});

test('an unknown workflow is a 404 naming it', async () => {
	const result = await runNode({ parameters: upload({ workflowId: 'wf-missing' }), items: [pdf()], credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toContain('Workflow wf-missing not found');
	expect(String(result.error?.httpCode)).toBe('404');
});

test('a 413 from Nanonets says the file is too large', async () => {
	sandbox.fault({ method: 'POST', path: '/documents', status: 413, body: { message: 'File size exceeds the 20MB limit' } });
	const result = await runNode({ parameters: upload(), items: [pdf()], credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toBe('The file is too large for Nanonets: File size exceeds the 20MB limit');
	expect(result.error?.description).toContain('20 MB');
});

test('a file over 20 MB is refused before anything is sent', async () => {
	const big = makePdf({ padTo: 20 * 1024 * 1024 + 10 });
	const result = await runNode({ parameters: upload(), items: [binaryItem(big, 'huge.pdf')], credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toMatch(/huge\.pdf.*20\.\d MB; Nanonets accepts at most 20 MB \(item 1\)/);
	expect(sandbox.state.requests).toHaveLength(0);
});

test('an unsupported file type is refused before anything is sent, even with a .pdf name', async () => {
	const result = await runNode({ parameters: upload(), items: [binaryItem(makeExe(), 'invoice.pdf')], credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toBe('The file "invoice.pdf" (binary field "data") is not a supported type (item 1)');
	expect(result.error?.description).toContain('PDF, JPEG, PNG, TIFF, XLS, XLSX');
	expect(sandbox.state.requests).toHaveLength(0);
});

test('a document that ends in failure is an error for its item', async () => {
	const failing = binaryItem(makePdf({ spec: { outcome: 'failure' } }), 'smudged.pdf');
	const result = await runNode({ parameters: upload(), items: [failing], credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toMatch(/^Nanonets could not process document [\w-]+: The document could not be read$/);
});

test('a wait that runs out of time names the document so it can be fetched later', async () => {
	const stuck = binaryItem(makePdf({ pages: 4, spec: { never: true } }), 'stuck.pdf');
	const result = await runNode({
		parameters: upload({ options: { pollInterval: 0.1, timeout: 1 } }),
		items: [stuck],
		credentials: credentialsFor(sandbox),
	});
	const documentId = sandbox.requestsTo('/documents/', 'GET')[0]?.path.split('/').pop();
	expect(documentId).toBeTruthy();
	expect(result.error?.message).toBe(`Document ${documentId} was not processed within 1 second (item 1)`);
	expect(result.error?.description).toContain(`Document ID ${documentId}`);
});

test('with Continue On Fail a bad item becomes an error item and the others go on', async () => {
	const items = [
		binaryItem(makePdf({ spec: { fields: { invoice_number: 'ONE' }, rows: [] } }), 'one.pdf'),
		{ json: { note: 'no file here' } },
		binaryItem(makePdf({ spec: { outcome: 'failure' } }), 'bad.pdf'),
		binaryItem(makePdf({ spec: { fields: { invoice_number: 'FOUR' }, rows: [] } }), 'four.pdf'),
	];
	const result = await runNode({ parameters: upload(), items, credentials: credentialsFor(sandbox), continueOnFail: true });
	expect(result.error).toBeUndefined();
	const out = jsonOf(result);
	expect(out).toHaveLength(4);
	expect(out[0].fields).toEqual({ invoice_number: 'ONE' });
	expect(out[1].error).toBe('The "Input Binary Field" parameter names "data", but item 2 has no binary field "data"');
	expect(out[2].error).toMatch(/could not process document/);
	expect(out[3].fields).toEqual({ invoice_number: 'FOUR' });
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
});

test('without Continue On Fail one invalid item stops the batch before anything is sent', async () => {
	const items = [pdf(), { json: {} }, pdf()];
	const result = await runNode({ parameters: upload(), items, credentials: credentialsFor(sandbox) });
	expect(result.error?.message).toBe('The "Input Binary Field" parameter names "data", but item 2 has no binary field "data"');
	expect(sandbox.state.requests).toHaveLength(0);
});
