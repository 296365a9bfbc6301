/**
 * Files n8n keeps on disk (binary data mode "filesystem") are streamed to Nanonets. Whatever
 * happens to the upload (answered, failed, cancelled), the node leaves no file open behind it.
 */
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { makePdf } from './fixtures/files';
import { jsonOf, runNode, temporaryFolder } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
let binaryData: BinaryDataService;
let storagePath: string;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
	binaryData = Container.get(BinaryDataService);
	binaryData.config.mode = 'filesystem';
	storagePath = realpathSync(temporaryFolder('n8n-nanonets-handles-'));
	binaryData.config.localStoragePath = storagePath;
	await binaryData.init();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

async function storedPdf(index: number): Promise<INodeExecutionData> {
	// Large enough that an upload stopped early leaves most of the file unread.
	const pdf = makePdf({ title: `Invoice ${index}`, padTo: 4 * 1024 * 1024 });
	const stored = await binaryData.store({ type: 'execution', workflowId: 'test-workflow', executionId: String(index) }, pdf, {
		data: '',
		mimeType: 'application/pdf',
		fileName: `stored-${index}.pdf`,
	} as IBinaryData);
	return { json: {}, binary: { data: stored } };
}

/** Files of n8n's binary data store this process has open now. */
function openStoredFiles(): string[] {
	const open: string[] = [];
	for (const fd of readdirSync('/proc/self/fd')) {
		try {
			const target = readlinkSync(join('/proc/self/fd', fd));
			if (target.startsWith(storagePath)) open.push(target);
		} catch {
			// The descriptor closed while we looked.
		}
	}
	return open;
}

const settle = async () => await new Promise((resolve) => setTimeout(resolve, 300));
const parameters = { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', waitForCompletion: false };

test('uploads cut off by the server (connection reset) leave no stored file open', async () => {
	sandbox.fault({ method: 'POST', reset: true, times: 3 });
	const result = await runNode({
		parameters,
		items: [await storedPdf(1), await storedPdf(2), await storedPdf(3)],
		continueOnFail: true,
		credentials: credentialsFor(sandbox),
	});
	expect(jsonOf(result).map((item) => item.error)).toEqual([
		expect.stringMatching(/Could not reach Nanonets/),
		expect.stringMatching(/Could not reach Nanonets/),
		expect.stringMatching(/Could not reach Nanonets/),
	]);
	await settle();
	expect(openStoredFiles()).toEqual([]);
});

test('uploads cancelled while being sent leave no stored file open', async () => {
	// The server holds the requests without reading them, as a slow network would.
	sandbox.fault({ method: 'POST', delayMs: 4000, times: 3 });
	const result = await runNode({
		parameters,
		items: [await storedPdf(4), await storedPdf(5), await storedPdf(6)],
		credentials: credentialsFor(sandbox),
		onStarted: (cancel) => setTimeout(cancel, 600),
	});
	expect(result.run.status).toBe('canceled');
	await settle();
	expect(openStoredFiles()).toEqual([]);
});

test('uploads answered normally leave no stored file open', async () => {
	const result = await runNode({ parameters, items: [await storedPdf(7), await storedPdf(8)], credentials: credentialsFor(sandbox) });
	expect(result.error).toBeUndefined();
	expect(jsonOf(result)).toHaveLength(2);
	await settle();
	expect(openStoredFiles()).toEqual([]);
});

test('a v2 prediction upload cut off by the server leaves no stored file open either', async () => {
	sandbox.fault({ method: 'POST', reset: true });
	const result = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', waitForCompletion: false },
		items: [await storedPdf(9)],
		credentials: credentialsFor(sandbox),
	});
	expect(result.error?.message).toMatch(/Could not reach Nanonets.*the upload was not repeated/);
	await settle();
	expect(openStoredFiles()).toEqual([]);
});
