/**
 * Files that n8n keeps outside memory (binary data mode "filesystem": the item's binary has an
 * `id`) are streamed to Nanonets, with the same checks as files in memory.
 */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { makeExe, makeObjectStreamPdf, makePdf, makePng } from './fixtures/files';
import { countPages, PdfPageCounter } from '../nodes/Nanonets/validation';
import { jsonOf, runNode, temporaryFolder } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
let binaryData: BinaryDataService;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 5 });
	binaryData = Container.get(BinaryDataService);
	binaryData.config.mode = 'filesystem';
	binaryData.config.localStoragePath = temporaryFolder('n8n-nanonets-binary-');
	await binaryData.init();
});
afterAll(async () => await sandbox.close());

async function storedItem(data: Buffer, fileName: string, mimeType = 'application/pdf'): Promise<INodeExecutionData> {
	const stored = await binaryData.store({ type: 'execution', workflowId: 'test-workflow', executionId: '1' }, data, {
		data: '',
		mimeType,
		fileName,
	} as IBinaryData);
	expect(stored.id).toMatch(/^filesystem/);
	return { json: {}, binary: { data: stored } };
}

const parameters = { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', outputFormat: 'simplified' };

test('a stored multi-page PDF is streamed whole and its pages are counted', async () => {
	// Long pages: the file spans several chunks of the stream.
	const lines = Array.from({ length: 400 }, (_, i) => `Line ${i} `.repeat(12));
	const pdf = makePdf({ pages: 5, lines, spec: { fields: { invoice_number: 'INV-STORED' }, rows: [] } });
	expect(pdf.length).toBeGreaterThan(256 * 1024);
	const result = await runNode({
		parameters: { ...parameters, options: { pollInterval: 0.1 } },
		items: [await storedItem(pdf, 'stored.pdf')],
		credentials: credentialsFor(sandbox, 75),
	});
	expect(result.error).toBeUndefined();
	const [document] = jsonOf(result);
	expect(document.status).toBe('success');
	expect(document.original_document_name).toBe('stored.pdf');
	expect(document.fields).toEqual({ invoice_number: 'INV-STORED' });
	const stored = sandbox.state.workflows.get('wf-invoices') as Array<{ pages: unknown[] }>;
	expect(stored[0].pages).toHaveLength(5);
});

test('a stored PNG named .pdf is sent as a PNG', async () => {
	const result = await runNode({
		parameters: { ...parameters, outputFormat: 'document' },
		items: [await storedItem(makePng(), 'scan.pdf')],
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	expect(jsonOf(result)[0].original_document_name).toBe('scan.png');
});

test('a stored executable or a file over 20 MB is refused before any request', async () => {
	const before = sandbox.requestsTo('/documents', 'POST').length;
	const exe = await runNode({ parameters, items: [await storedItem(makeExe(), 'invoice.pdf')], credentials: credentialsFor(sandbox) });
	expect(exe.error?.message).toMatch(/not a supported type/);

	// In a batch: the large file is refused while its parameters are checked, before item 1 is sent.
	const large = await runNode({
		parameters,
		items: [await storedItem(makePdf(), 'small.pdf'), await storedItem(makePdf({ padTo: 21 * 1024 * 1024 }), 'large.pdf')],
		credentials: credentialsFor(sandbox),
	});
	expect(large.error?.message).toMatch(/20 MB.*item 2/);
	expect(sandbox.requestsTo('/documents', 'POST')).toHaveLength(before);
});

test('PDF pages are counted the same in one piece and in chunks of any size', () => {
	const pdf = makePdf({ pages: 7, lines: ['/Type /Pages is not a page', 'Nor /Type /PageLabel'] });
	expect(countPages(pdf, 'pdf')).toBe(7);
	for (const size of [1, 3, 7, 64, 1000]) {
		const counter = new PdfPageCounter();
		for (let at = 0; at < pdf.length; at += size) counter.push(pdf.subarray(at, at + size));
		expect(counter.finish()).toBe(7);
	}
	expect(countPages(makePng(), 'png')).toBe(1);
});

test('a PDF 1.5 with its pages in a compressed object stream is counted by its content streams, in chunks of any size', () => {
	const pdf = makeObjectStreamPdf({ pages: 5 });
	// No page object is visible without inflating the object stream.
	expect(pdf.toString('latin1')).not.toMatch(/\/Type\s*\/Page(?![a-zA-Z])/);
	expect(countPages(pdf, 'pdf')).toBe(5);
	for (const size of [1, 3, 7, 64, 1000]) {
		const counter = new PdfPageCounter();
		for (let at = 0; at < pdf.length; at += size) counter.push(pdf.subarray(at, at + size));
		expect(counter.finish()).toBe(5);
	}
});
