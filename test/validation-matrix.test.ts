/**
 * Bad input is refused before anything is sent: every row is one bad input, refused with a
 * NodeOperationError that names the item and the parameter, while the sandbox sees no request.
 * v2 operations add their rows to `badInputs` below.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makeExe, makePdf, makePng } from './fixtures/files';
import { runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const pdf = makePdf();
const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20, 0)]);
const text = Buffer.from('Invoice 1001, total 150.00\n');

const upload = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'document',
	operation: 'upload',
	workflowId: 'wf-invoices',
	waitForCompletion: false,
	...extra,
});
const byUrl = (documentUrl: string) => upload({ inputType: 'url', documentUrl });
const documentOp = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'document',
	operation,
	workflowId: 'wf-invoices',
	documentId: 'doc-1',
	pageId: 'doc-1-p1',
	...extra,
});

interface BadInput {
	/** What is wrong, as a user would say it. */
	name: string;
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	/** The item the error must name (1-based), when several items are given. */
	item?: number;
	/** How the message names the parameter. */
	parameter: RegExp;
}

const badInputs: BadInput[] = [
	{ name: 'no binary data on the item', parameters: upload(), items: [{ json: {} }], parameter: /Input Binary Field/ },
	{
		name: 'a binary field name the item does not have',
		parameters: upload({ binaryPropertyName: 'attachment' }),
		items: [binaryItem(pdf, 'invoice.pdf')],
		parameter: /Input Binary Field.*"attachment"/,
	},
	{ name: 'an empty file', parameters: upload(), items: [binaryItem(Buffer.alloc(0), 'empty.pdf')], parameter: /binary field "data"/ },
	{
		name: 'an executable renamed .pdf',
		parameters: upload(),
		items: [binaryItem(makeExe(), 'invoice.pdf')],
		parameter: /binary field "data".*not a supported type/,
	},
	{
		name: 'a text file renamed .pdf',
		parameters: upload(),
		items: [binaryItem(text, 'invoice.pdf')],
		parameter: /binary field "data".*not a supported type/,
	},
	{
		name: 'a GIF (an image v4 workflows do not take) renamed .png',
		parameters: upload(),
		items: [binaryItem(gif, 'scan.png', 'image/png')],
		parameter: /binary field "data".*not a supported type/,
	},
	{
		name: 'a file over 20 MB',
		parameters: upload(),
		items: [binaryItem(makePdf({ padTo: 20 * 1024 * 1024 + 1 }), 'big.pdf')],
		parameter: /binary field "data".*20 MB/,
	},
	{
		name: 'metadata that starts like a JSON object but does not parse',
		parameters: upload({ options: { metadata: '{"reference": "INV-1"' } }),
		items: [binaryItem(pdf, 'invoice.pdf')],
		parameter: /Metadata/,
	},
	{
		name: 'metadata that starts like a JSON array but does not parse',
		parameters: upload({ options: { metadata: '[1, 2' } }),
		items: [binaryItem(pdf, 'invoice.pdf')],
		parameter: /Metadata/,
	},
	// n8n itself refuses an empty required parameter; an expression that maps to nothing gets through.
	{
		name: 'a workflow id mapped from an empty field',
		parameters: upload({ workflowId: '={{ $json.workflow }}' }),
		items: [{ ...binaryItem(pdf, 'a.pdf'), json: { workflow: '' } }],
		parameter: /Workflow ID/,
	},
	{ name: 'a workflow id of spaces', parameters: documentOp('get', { workflowId: '   ' }), parameter: /Workflow ID/ },
	{
		name: 'a document id mapped from a missing field',
		parameters: documentOp('get', { documentId: '={{ $json.id }}' }),
		items: [{ json: {} }],
		parameter: /Document ID/,
	},
	{ name: 'a document id of spaces', parameters: documentOp('delete', { documentId: ' \t ' }), parameter: /Document ID/ },
	{ name: 'a document id with "/"', parameters: documentOp('get', { documentId: 'doc-1/../../other' }), parameter: /Document ID/ },
	{ name: 'a document id with "?"', parameters: documentOp('delete', { documentId: 'doc-1?force=true' }), parameter: /Document ID/ },
	{ name: 'a document id with ".."', parameters: documentOp('getPage', { documentId: '..' }), parameter: /Document ID/ },
	{ name: 'a workflow id with "/"', parameters: documentOp('getAll', { workflowId: 'wf/invoices' }), parameter: /Workflow ID/ },
	{ name: 'an empty page id', parameters: documentOp('getPage', { pageId: '={{ "" }}' }), parameter: /Page ID/ },
	{ name: 'a page id with "#"', parameters: documentOp('getPage', { pageId: 'p1#x' }), parameter: /Page ID/ },
	{ name: 'an ftp URL', parameters: byUrl('ftp://files.example.com/invoice.pdf'), parameter: /Document URL/ },
	{ name: 'a javascript: URL', parameters: byUrl('javascript:alert(1)'), parameter: /Document URL/ },
	{ name: 'a file: URL', parameters: byUrl('file:///etc/passwd'), parameter: /Document URL/ },
	{ name: 'a URL without a scheme', parameters: byUrl('example.com/invoice.pdf'), parameter: /Document URL/ },
	{ name: 'an empty URL', parameters: byUrl('={{ $json.url }}'), items: [{ json: { url: '  ' } }], parameter: /Document URL/ },
	{ name: 'a limit over 100', parameters: documentOp('getAll', { returnAll: false, limit: 101 }), parameter: /Limit/ },
	{ name: 'a limit of 0', parameters: documentOp('getAll', { returnAll: false, limit: 0 }), parameter: /Limit/ },
	{
		name: 'a poll interval of 0',
		parameters: upload({ waitForCompletion: true, options: { pollInterval: 0 } }),
		items: [binaryItem(pdf, 'a.pdf')],
		parameter: /Poll Interval/,
	},
	{
		name: 'a poll interval over 300 seconds',
		parameters: upload({ waitForCompletion: true, options: { pollInterval: 301 } }),
		items: [binaryItem(pdf, 'a.pdf')],
		parameter: /Poll Interval/,
	},
	{
		name: 'a timeout of 0',
		parameters: upload({ waitForCompletion: true, options: { timeout: 0 } }),
		items: [binaryItem(pdf, 'a.pdf')],
		parameter: /Timeout/,
	},
	{
		name: 'a timeout over a day',
		parameters: upload({ waitForCompletion: true, options: { timeout: 86401 } }),
		items: [binaryItem(pdf, 'a.pdf')],
		parameter: /Timeout/,
	},
	{
		name: 'a bad third item after two good ones',
		parameters: upload(),
		items: [binaryItem(pdf, 'a.pdf'), binaryItem(pdf, 'b.pdf'), binaryItem(makeExe(), 'c.pdf')],
		item: 3,
		parameter: /binary field "data".*not a supported type/,
	},
	// v2 operations
	{
		name: 'one category for an image classification model (it needs two)',
		parameters: { resource: 'imageModel', operation: 'create', categories: 'cats' },
		parameter: /Categories/,
	},
	{
		name: 'no category for an OCR model',
		parameters: { resource: 'ocrModel', operation: 'create', categories: ' , ' },
		parameter: /Categories/,
	},
	{
		name: 'an end date before the start date',
		parameters: {
			resource: 'ocrPrediction',
			operation: 'getAll',
			modelId: 'ocr-invoices',
			startDate: '2026-11-20T00:00:00Z',
			endDate: '2026-11-01T00:00:00Z',
		},
		parameter: /End Date.*Start Date/,
	},
	{
		name: 'a non-http URL among several for a prediction',
		parameters: { resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://a.example/x.jpg, ftp://b.example/y.jpg' },
		parameter: /URLs/,
	},
	{
		name: 'an executable renamed .png for full text (v2 files are checked before sending too)',
		parameters: { resource: 'fullText', operation: 'extract' },
		items: [binaryItem(makeExe(), 'scan.png', 'image/png')],
		parameter: /binary field "data".*not a supported type/,
	},
	{
		name: 'an empty image for an image classification',
		parameters: { resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals' },
		items: [binaryItem(Buffer.alloc(0), 'pet.png', 'image/png')],
		parameter: /binary field "data"/,
	},
	{
		name: 'a bad third file after two good ones for an OCR prediction',
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices' },
		items: [binaryItem(pdf, 'a.pdf'), binaryItem(pdf, 'b.pdf'), binaryItem(text, 'c.pdf')],
		item: 3,
		parameter: /binary field "data".*not a supported type/,
	},
	{
		name: 'training annotations that are not a JSON list',
		parameters: { resource: 'ocrModel', operation: 'uploadTrainingData', modelId: 'ocr-invoices', options: { annotations: '{"filename": "a.png"}' } },
		items: [binaryItem(makePng(), 'a.png', 'image/png')],
		parameter: /Annotations/,
	},
	{
		name: 'a model id with "/"',
		parameters: { resource: 'ocrModel', operation: 'train', modelId: 'ocr-invoices/../other' },
		parameter: /Model ID/,
	},
];


test.each(badInputs)('refuses $name before sending anything', async ({ parameters, items, item = 1, parameter }) => {
	const result = await runNode({ parameters, items, credentials: credentialsFor(sandbox) });

	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toContain(`item ${item}`);
	expect(result.error?.message).toMatch(parameter);
	expect(result.items).toEqual([]);
	expect(sandbox.state.requests).toEqual([]);
});

test('at least 15 bad inputs are in the matrix', () => {
	expect(badInputs.length).toBeGreaterThanOrEqual(15);
});

test('a PNG named .pdf is not refused: it is sent as a PNG, by its content', async () => {
	const result = await runNode({
		parameters: upload(),
		items: [binaryItem(makePng(), 'scan.pdf', 'application/pdf')],
		credentials: credentialsFor(sandbox),
	});

	expect(result.error).toBeUndefined();
	const uploads = sandbox.state.requests.filter((request) => request.upload);
	expect(uploads).toHaveLength(1);
	expect(uploads[0].upload).toMatchObject({ filename: 'scan.png', contentType: 'image/png', size: makePng().length });
	expect(result.items[0].json.original_document_name).toBe('scan.png');
});
