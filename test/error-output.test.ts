/**
 * Settings > On Error > "Continue (using error output)": for every resource, a batch with one bad
 * file sends that item to the error output (main[1]) and the good ones to Success (main[0]). n8n
 * routes an item there only when it carries its error object, so each bad item is checked for
 * the error object on the item (its description and, for an answer from Nanonets, its HTTP code)
 * and the message in its JSON.
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

const pdf = (name: string) => binaryItem(makePdf({ spec: { fields: { invoice_number: name } } }), `${name}.pdf`);
const png = (name: string) => binaryItem(makePng(), `${name}.png`, 'image/png');
/** A file that claims to be a PDF but is a Windows executable: refused before it is sent. */
const exeAsPdf = () => binaryItem(makeExe(), 'bad.pdf');
/** A real PDF that Nanonets answers with an error (the model does not exist). */
const pdfForMissingModel = () => binaryItem(makePdf(), 'bad.pdf', 'application/pdf', { model: 'no-such-model' });

interface ResourceCase {
	resource: string;
	parameters: INodeParameters;
	/** Three items; the second is the bad one. */
	items: () => INodeExecutionData[];
	error: RegExp;
	/** The bad item's error is an answer from Nanonets, with its HTTP code. */
	fromNanonets?: boolean;
}

const cases: ResourceCase[] = [
	{
		resource: 'document',
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', outputFormat: 'simplified' },
		items: () => [pdf('A'), exeAsPdf(), pdf('C')],
		error: /The file "bad\.pdf" .*not a supported type \(item 2\)/,
	},
	{
		resource: 'fullText',
		parameters: { resource: 'fullText', operation: 'extract' },
		items: () => [png('a'), binaryItem(makeExe(), 'bad.png', 'image/png'), pdf('C')],
		error: /The file "bad\.png" .*not a supported type \(item 2\)/,
	},
	{
		resource: 'ocrModel',
		parameters: { resource: 'ocrModel', operation: 'uploadTrainingData', modelId: '={{ $json.model }}', inputType: 'binary' },
		items: () => [
			{ ...pdf('A'), json: { model: 'ocr-invoices' } },
			pdfForMissingModel(),
			{ ...pdf('C'), json: { model: 'ocr-invoices' } },
		],
		error: /Not found: Model does not exists/,
		fromNanonets: true,
	},
	{
		resource: 'ocrPrediction',
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: '={{ $json.model }}', outputFormat: 'simplified', options: { pollInterval: 0.1 } },
		items: () => [
			{ ...pdf('A'), json: { model: 'ocr-invoices' } },
			pdfForMissingModel(),
			{ ...pdf('C'), json: { model: 'ocr-invoices' } },
		],
		error: /Not found: Model does not exists/,
		fromNanonets: true,
	},
	{
		resource: 'imageModel',
		parameters: { resource: 'imageModel', operation: 'uploadTrainingData', modelId: 'ic-animals', category: 'cat', inputType: 'binary' },
		items: () => [png('cat-1'), binaryItem(makeExe(), 'cat-2.png', 'image/png'), png('cat-3')],
		error: /The file "cat-2\.png" .*not a supported type \(item 2\)/,
	},
	{
		resource: 'imageClassification',
		parameters: { resource: 'imageClassification', operation: 'predict', modelId: '={{ $json.model }}', inputType: 'binary' },
		items: () => [
			{ ...png('a'), json: { model: 'ic-animals' } },
			{ ...png('b'), json: { model: 'no-such-model' } },
			{ ...png('c'), json: { model: 'ic-animals' } },
		],
		error: /Not found: Model does not exists/,
		fromNanonets: true,
	},
];

/** The Workflow resource exists from node version 2 on: a workflow ID that Nanonets does not know. */
const workflowCase: ResourceCase = {
	resource: 'workflow',
	parameters: { resource: 'workflow', operation: 'get', workflowId: '={{ $json.workflow }}' },
	items: () => [{ json: { workflow: 'wf-invoices' } }, { json: { workflow: 'wf-no-such-workflow' } }, { json: { workflow: 'wf-invoices' } }],
	error: /wf-no-such-workflow/,
	fromNanonets: true,
};

const versions = [...cases.flatMap((c) => [1, 2].map((typeVersion) => ({ ...c, typeVersion }))), { ...workflowCase, typeVersion: 2 }];

test.each(versions)('$resource (node version $typeVersion): the bad item goes to the error output, the good ones to Success', async (c) => {
	const result = await runNode({ parameters: c.parameters, items: c.items(), typeVersion: c.typeVersion, onError: 'continueErrorOutput', credentials: credentialsFor(sandbox) });

	expect(result.error).toBeUndefined();
	expect(result.items.length).toBeGreaterThanOrEqual(2);
	for (const item of result.items) {
		expect(item.json.error).toBeUndefined();
		expect([0, 2]).toContain((item.pairedItem as { item: number }).item);
	}
	expect(result.errorItems).toHaveLength(1);
	const [bad] = result.errorItems;
	expect(bad.pairedItem).toEqual({ item: 1 });
	expect(String(bad.json.error)).toMatch(c.error);
	// n8n keeps the error object on the item and reduces its JSON to the message.
	expect(bad.error).toMatchObject({ message: bad.json.error, description: expect.any(String) });
	expect(['NodeApiError', 'NodeOperationError']).toContain(bad.error?.name);
	if (c.fromNanonets) expect(bad.error).toMatchObject({ httpCode: '404' });
	expect(JSON.stringify(result.errorItems)).not.toContain(sandbox.config.apiKey);
});

test('the regular output keeps every item, the bad one with its error in the JSON', async () => {
	const [document] = cases;
	const result = await runNode({ parameters: document.parameters, items: document.items(), onError: 'continueRegularOutput', credentials: credentialsFor(sandbox) });

	expect(result.errorItems).toEqual([]);
	expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	expect(String(result.items[1].json.error)).toMatch(document.error);
});
