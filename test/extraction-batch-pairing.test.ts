import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/**
 * A batch answer is matched to its items by what each record says it is (file name and size),
 * never by position alone: Nanonets documents no order for `records`, and an answer that comes
 * back reordered, with a record twice or with one missing must never hand an item another
 * item's document.
 */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionProcessingMs: 50, extractionSyncMs: 5 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const invoice = (n: number, name = `invoice-${n}.pdf`, padTo?: number): INodeExecutionData =>
	binaryItem(makePdf({ spec: { fields: { invoice_number: `INV-${n}` } }, ...(padTo ? { padTo } : {}) }), name, 'application/pdf', { n });

const extract = (items: INodeExecutionData[]) =>
	runNode({
		parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', outputFormats: ['json'], options: { pollInterval: 0.1, concurrency: 1 } },
		items,
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		continueOnFail: true,
	});

/** Rewrites the records of the next batch answer. */
const batchAnswer = (change: (records: IDataObject[]) => IDataObject[]) =>
	sandbox.fault({ path: '/extract/batch', body: (answer: IDataObject) => ({ ...answer, records: change(answer.records as IDataObject[]) }) });

test('records that come back in another order still reach their own items', async () => {
	batchAnswer((records) => [...records].reverse());
	const result = await extract([invoice(1), invoice(2), invoice(3), invoice(4)]);
	expect(sandbox.requestsTo('/extract/batch', 'POST')).toHaveLength(1);
	expect(jsonOf(result).map((item) => [item.filename, (item.json as IDataObject)?.invoice_number])).toEqual([
		['invoice-1.pdf', 'INV-1'],
		['invoice-2.pdf', 'INV-2'],
		['invoice-3.pdf', 'INV-3'],
		['invoice-4.pdf', 'INV-4'],
	]);
});

test('files of the same name are told apart by size, whatever the order', async () => {
	batchAnswer((records) => [records[2], records[0], records[1]]);
	const result = await extract([invoice(1, 'scan.pdf', 2000), invoice(2, 'scan.pdf', 3000), invoice(3, 'scan.pdf', 4000)]);
	expect(jsonOf(result).map((item) => (item.json as IDataObject)?.invoice_number)).toEqual(['INV-1', 'INV-2', 'INV-3']);
});

test('a record sent twice and one missing: the item without a record fails alone, no item gets another\'s', async () => {
	batchAnswer((records) => [records[0], records[0], records[1]]);
	const result = await extract([invoice(1), invoice(2), invoice(3)]);
	const out = jsonOf(result);
	expect(out.slice(0, 2).map((item) => [item.filename, (item.json as IDataObject)?.invoice_number])).toEqual([
		['invoice-1.pdf', 'INV-1'],
		['invoice-2.pdf', 'INV-2'],
	]);
	expect(out[2].filename).toBeUndefined();
	expect(out[2].error).toMatch(/"invoice-3\.pdf"/);
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('records without names (a renamed or unnamed answer) pair in order only when their count is the files\' count', async () => {
	batchAnswer((records) => records.map((record) => ({ ...record, filename: undefined, file_size: undefined })));
	const result = await extract([invoice(1), invoice(2), invoice(3)]);
	expect(jsonOf(result).map((item) => (item.json as IDataObject)?.invoice_number)).toEqual(['INV-1', 'INV-2', 'INV-3']);
});
