/**
 * Continue On Fail, for every Document operation: one failing item among several becomes an
 * `{ error }` item paired to its input, every other item keeps its result, all in input order.
 * Without Continue On Fail, a bad item found during validation means nothing is sent at all.
 * v2 operations add their rows to `operationCases`.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryItem, makeExe, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
const documents: Array<{ id: string; pageId: string }> = [];

beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 50, perPageMs: 0, pagesPerMinute: 0 });
	const result = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', options: { concurrency: 1 } },
		items: [0, 1, 2, 3, 4, 5].map((i) => binaryItem(makePdf({ title: `Invoice ${i}` }), `invoice-${i}.pdf`)),
		credentials: credentialsFor(sandbox),
	});
	for (const document of jsonOf(result)) {
		documents.push({ id: String(document.document_id), pageId: String((document.pages as Array<{ page_id: string }>)[0].page_id) });
	}
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const base = { resource: 'document', workflowId: '={{ $json.workflowId }}' };

interface OperationCase {
	operation: string;
	parameters: INodeParameters;
	/** Three input items; the second one fails (at validation or at Nanonets). */
	items: () => INodeExecutionData[];
	/** What the failing item's error says. */
	error: RegExp;
	/** Checks the output of a good item. */
	good: (json: Record<string, unknown>, itemIndex: number) => void;
	/** An input item that fails validation, for the "nothing sent" check. */
	invalid: () => INodeExecutionData;
}

const wf = (json: Record<string, unknown> = {}) => ({ workflowId: 'wf-invoices', ...json });

const operationCases: OperationCase[] = [
	{
		operation: 'upload',
		parameters: { ...base, operation: 'upload', outputFormat: 'simplified' },
		items: () => [
			{ ...binaryItem(makePdf({ spec: { fields: { n: 'A' } } }), 'a.pdf'), json: wf() },
			{ ...binaryItem(makeExe(), 'b.pdf'), json: wf() },
			{ ...binaryItem(makePdf({ spec: { fields: { n: 'C' } } }), 'c.pdf'), json: wf() },
		],
		error: /The file "b\.pdf" .*not a supported type \(item 2\)/,
		good: (json, i) => expect(json.fields).toEqual({ n: i === 0 ? 'A' : 'C' }),
		invalid: () => ({ ...binaryItem(makeExe(), 'bad.pdf'), json: wf() }),
	},
	{
		operation: 'get',
		parameters: { ...base, operation: 'get', documentId: '={{ $json.id }}' },
		items: () => [{ json: wf({ id: documents[0].id }) }, { json: wf({ id: 'missing' }) }, { json: wf({ id: documents[1].id }) }],
		error: /Not found: Document missing not found/,
		good: (json, i) => expect(json.document_id).toBe(documents[i === 0 ? 0 : 1].id),
		invalid: () => ({ json: wf({ id: 'a/b' }) }),
	},
	{
		operation: 'getAll',
		parameters: { ...base, operation: 'getAll', limit: 1 },
		items: () => [{ json: wf() }, { json: wf({ workflowId: 'wf-unknown' }) }, { json: wf() }],
		error: /Workflow wf-unknown not found/,
		good: (json) => expect(typeof json.document_id).toBe('string'),
		invalid: () => ({ json: wf({ workflowId: ' ' }) }),
	},
	{
		operation: 'getPage',
		parameters: { ...base, operation: 'getPage', documentId: '={{ $json.id }}', pageId: '={{ $json.page }}' },
		items: () => [
			{ json: wf({ id: documents[2].id, page: documents[2].pageId }) },
			{ json: wf({ id: documents[2].id, page: 'missing' }) },
			{ json: wf({ id: documents[3].id, page: documents[3].pageId }) },
		],
		error: /Page missing not found/,
		good: (json, i) => expect(json.page_id).toBe(documents[i === 0 ? 2 : 3].pageId),
		invalid: () => ({ json: wf({ id: documents[2].id, page: '..' }) }),
	},
	{
		operation: 'delete',
		parameters: { ...base, operation: 'delete', documentId: '={{ $json.id }}' },
		items: () => [{ json: wf({ id: documents[4].id }) }, { json: wf({ id: 'missing' }) }, { json: wf({ id: documents[5].id }) }],
		error: /Not found: Document missing not found/,
		good: (json, i) => expect(json).toMatchObject({ document_id: documents[i === 0 ? 4 : 5].id, deleted: true }),
		invalid: () => ({ json: wf({ id: '' }) }),
	},
];

test.each(operationCases)('$operation: the failing second item becomes { error } paired to it, the others keep their results in order', async (c) => {
	const result = await runNode({ parameters: c.parameters, items: c.items(), continueOnFail: true, credentials: credentialsFor(sandbox) });

	expect(result.error).toBeUndefined();
	const paired = result.items.map((item) => (item.pairedItem as { item: number }).item);
	// Input order: every output of item 0, then item 1's error, then item 2's outputs.
	expect(paired).toEqual([...paired].sort((a, b) => a - b));
	expect(new Set(paired)).toEqual(new Set([0, 1, 2]));
	const errors = result.items.filter((item) => item.json.error !== undefined);
	expect(errors).toHaveLength(1);
	expect(errors[0].pairedItem).toEqual({ item: 1 });
	expect(String(errors[0].json.error)).toMatch(c.error);
	for (const item of result.items) {
		const itemIndex = (item.pairedItem as { item: number }).item;
		if (itemIndex !== 1) c.good(item.json, itemIndex);
	}
});

test.each(operationCases)('$operation: without Continue On Fail, an invalid third item means nothing is sent at all', async (c) => {
	const [first] = c.items();
	const result = await runNode({ parameters: c.parameters, items: [first, first, c.invalid()], credentials: credentialsFor(sandbox) });

	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toContain('item 3');
	expect(result.items).toEqual([]);
	expect(sandbox.state.requests).toEqual([]);
});

test('with Continue On Fail, an item invalid at validation still lets the valid ones be sent', async () => {
	const result = await runNode({
		parameters: { ...base, operation: 'get', documentId: '={{ $json.id }}' },
		items: [{ json: wf({ id: '?' }) }, { json: wf({ id: documents[0].id }) }],
		continueOnFail: true,
		credentials: credentialsFor(sandbox),
	});
	expect(jsonOf(result).map((json) => json.error ?? json.document_id)).toEqual([
		expect.stringMatching(/"Document ID" parameter is not a valid ID.*item 1/),
		documents[0].id,
	]);
	expect(sandbox.state.requests).toHaveLength(1);
});
