import { binaryItem, makePdf } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 100, perPageMs: 10 });
});
afterAll(async () => await sandbox.close());

const invoice = {
	fields: { invoice_number: 'INV-1001', total_amount: '150.00' },
	rows: [
		['Paper', '2', '10.00', '20.00'],
		['Toner', '1', '130.00', '130.00'],
	],
};

test('upload of a one-page PDF waits and returns simplified fields and tables', async () => {
	const result = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices', outputFormat: 'simplified' },
		items: [binaryItem(makePdf({ spec: invoice }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	const [document] = jsonOf(result);
	expect(document.status).toBe('success');
	expect(document.original_document_name).toBe('invoice.pdf');
	expect(document.fields).toEqual({ invoice_number: 'INV-1001', total_amount: '150.00' });
	expect(document.tables).toEqual([
		[
			{ description: 'Paper', quantity: '2', unit_price: '10.00', amount: '20.00' },
			{ description: 'Toner', quantity: '1', unit_price: '130.00', amount: '130.00' },
		],
	]);
	expect(result.items[0].pairedItem).toEqual({ item: 0 });
});
