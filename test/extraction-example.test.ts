import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, PACKAGE_ROOT, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** examples/folder-to-markdown.json: its Extract node, as saved there, against the sandbox. */

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	onError?: string;
	credentials?: Record<string, unknown>;
}
const example = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'folder-to-markdown.json'), 'utf8')) as {
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};
const extract = example.nodes.find((node) => node.name === 'Extract')!;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionSyncMs: 1 });
});
afterAll(async () => await sandbox.close());

test('the Extract node uses the extraction credential, version 2, with an error branch', () => {
	expect(extract.typeVersion).toBe(2);
	expect(Object.keys(extract.credentials ?? {})).toEqual(['nanonetsExtractionApi']);
	expect(example.connections.Extract.main.map((targets) => targets.map((target) => target.node))).toEqual([['Write markdown'], ['Record failure']]);
	const write = example.nodes.find((node) => node.name === 'Write markdown')!;
	expect(write.parameters.dataPropertyName).toBe('markdown');
});

test('a document becomes markdown (as a file for Write markdown) and JSON; a bad file goes to the error output', async () => {
	const invoice = { fields: { invoice_number: 'INV-5', invoice_date: '2026-11-02', seller_name: 'Acme', total_amount: '42.00' }, rows: [] };
	const result = await runNode({
		parameters: extract.parameters,
		items: [binaryItem(makePdf({ spec: invoice }), 'scan-5.pdf'), binaryItem(Buffer.from('MZ not a document'), 'tool.exe', 'application/octet-stream')],
		credentials: credentialsFor(sandbox),
		typeVersion: 2,
		onError: extract.onError as 'continueErrorOutput',
	});
	expect(result.error).toBeUndefined();
	const [item] = result.items;
	expect(item.json).toMatchObject({ status: 'completed', filename: 'scan-5.pdf', json: invoice.fields });
	expect(item.binary?.markdown).toMatchObject({ fileName: 'scan-5.md', mimeType: 'text/markdown' });
	expect(jsonOf(result)).toHaveLength(1);
	expect(result.errorItems.map((bad) => bad.json.error)).toEqual([expect.stringMatching(/"tool.exe".*is not a supported type \(item 2\)/)]);
});
