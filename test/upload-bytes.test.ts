/**
 * The multipart bodies the node writes itself (no form library): Nanonets receives exactly the
 * file's bytes and the text fields, whichever binary mode n8n uses and however the file is named.
 */
import { createHash } from 'node:crypto';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode, temporaryFolder } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
let binaryData: BinaryDataService;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0 });
	binaryData = Container.get(BinaryDataService);
	binaryData.config.mode = 'filesystem';
	binaryData.config.localStoragePath = temporaryFolder('n8n-nanonets-bytes-');
	await binaryData.init();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const upload = { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', outputFormat: 'document' };

/** A PDF whose bytes cover every value, including the boundary's characters and CR LF pairs. */
function awkwardPdf(): Buffer {
	const pdf = makePdf({ padTo: 300 * 1024 });
	const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
	return Buffer.concat([pdf, noise, Buffer.from('\r\n------n8nNanonets\r\n--\r\n')]);
}

async function storedItem(data: Buffer, fileName: string): Promise<INodeExecutionData> {
	const stored = await binaryData.store({ type: 'execution', workflowId: 'bytes', executionId: '1' }, data, {
		data: '',
		mimeType: 'application/pdf',
		fileName,
	} as IBinaryData);
	return { json: {}, binary: { data: stored } };
}

function received() {
	const uploads = sandbox.state.requests.filter((request) => request.upload);
	expect(uploads).toHaveLength(1);
	return uploads[0];
}

test.each([
	['in memory (n8n default)', async (data: Buffer) => binaryItem(data, 'invoice.pdf')],
	['stored (filesystem mode)', async (data: Buffer) => await storedItem(data, 'invoice.pdf')],
])('a file %s reaches Nanonets byte for byte, with the text fields', async (_, itemFor) => {
	const data = awkwardPdf();
	const metadata = 'line one\r\nline two, "quoted" ünïcode';
	const result = await runNode({ parameters: { ...upload, options: { metadata } }, items: [await itemFor(data)], credentials: credentialsFor(sandbox) });

	expect(result.error).toBeUndefined();
	expect(jsonOf(result)[0].status).toBe('success');
	const request = received();
	expect(request.upload).toMatchObject({ size: data.length, sha256: sha256(data), filename: 'invoice.pdf', contentType: 'application/pdf' });
	expect(request.fields).toEqual({ async: ['true'], metadata: [metadata] });
});

test('base64 with line breaks (as some nodes write it) is decoded whole, not shifted', async () => {
	const data = awkwardPdf();
	const item = binaryItem(data, 'wrapped.pdf');
	item.binary!.data.data = data.toString('base64').replace(/.{76}/g, '$&\r\n');
	const result = await runNode({ parameters: upload, items: [item], credentials: credentialsFor(sandbox) });

	expect(result.error).toBeUndefined();
	expect(received().upload).toMatchObject({ size: data.length, sha256: sha256(data) });
});

test('a file name with quotes, line breaks and accents stays one header', async () => {
	const result = await runNode({
		parameters: upload,
		items: [binaryItem(makePng(), 'scan "March"\r\nété.png', 'image/png')],
		credentials: credentialsFor(sandbox),
	});

	expect(result.error).toBeUndefined();
	expect(received().upload).toMatchObject({ filename: 'scan %22March%22%0D%0Aété.png', contentType: 'image/png', sha256: sha256(makePng()) });
});

test('a v2 prediction sends the file byte for byte', async () => {
	const data = awkwardPdf();
	const result = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'binary', outputFormat: 'document' },
		items: [binaryItem(data, 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});

	expect(result.error).toBeUndefined();
	expect(received().upload).toMatchObject({ size: data.length, sha256: sha256(data) });
});
