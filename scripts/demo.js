'use strict';
// `npm run demo`: runs the example invoice workflow's Nanonets node inside n8n's execution
// engine, on the sample invoices in examples/invoices/, against the local Nanonets sandbox, and
// prints the extracted table rows. Nothing leaves this machine.
require('./lib/register-ts');

const fs = require('node:fs');
const path = require('node:path');

const { engineLog, removeTemporaryFolders, runNode } = require('../test/engine/harness.ts');
const { startSandbox } = require('../test/sandbox/server');
const { binaryItem } = require('../test/fixtures/files');

const root = path.join(__dirname, '..');

function printTable(rows, columns) {
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
	const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	console.log(line(columns));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const row of rows) console.log(line(columns.map((column) => row[column] ?? '')));
}

async function main() {
	const workflow = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'invoice-to-sheet.json'), 'utf8'));
	const nanonetsNode = workflow.nodes.find((node) => node.type === 'n8n-nodes-nanonets-api.nanonets');
	const folder = path.join(root, 'examples', 'invoices');
	const files = fs.readdirSync(folder).filter((name) => name.endsWith('.pdf')).sort();
	// What the workflow's email trigger would hand over: one item per invoice, the PDF attached.
	const binaryName = nanonetsNode.parameters.binaryPropertyName ?? 'data';
	const items = files.map((name) => {
		const item = binaryItem(fs.readFileSync(path.join(folder, name)), name, 'application/pdf', { from: 'billing@example.com', subject: `Invoice ${name}` });
		return { json: item.json, binary: { [binaryName]: item.binary.data } };
	});

	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 100, workflows: [nanonetsNode.parameters.workflowId] });
	try {
		const credentials = {
			nanonetsAppApi: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 },
		};
		console.log(`Nanonets sandbox on ${sandbox.url}; uploading ${files.length} invoices from examples/invoices/\n`);

		const started = Date.now();
		const rowsRun = await runNode({ parameters: nanonetsNode.parameters, items, credentials });
		if (rowsRun.error) throw rowsRun.error;
		const rows = rowsRun.items.map((item) => ({ ...item.json, file: files[item.pairedItem.item] }));
		console.log(`Table rows (output "${nanonetsNode.parameters.outputFormat}"), ${rows.length} items in ${((Date.now() - started) / 1000).toFixed(1)} s:\n`);
		printTable(rows, ['file', 'page_number', 'row', 'description', 'quantity', 'unit_price', 'amount']);

		// The invoices' header fields, fetched with a second operation (Get) instead of uploading again.
		const documentIds = [...new Set(rows.map((row) => row.document_id))];
		const summaryRun = await runNode({
			parameters: { resource: 'document', operation: 'get', workflowId: nanonetsNode.parameters.workflowId, documentId: '={{ $json.document_id }}', outputFormat: 'simplified' },
			items: documentIds.map((documentId) => ({ json: { document_id: documentId } })),
			credentials,
		});
		if (summaryRun.error) throw summaryRun.error;
		console.log('\nInvoice fields (Get, output "simplified"):\n');
		printTable(
			summaryRun.items.map((item) => ({ file: item.json.original_document_name, status: item.json.status, ...item.json.fields })),
			['file', 'status', 'invoice_number', 'invoice_date', 'seller_name', 'total_amount'],
		);
	} finally {
		await sandbox.close();
	}
}

// n8n's own log stays quiet unless the demo fails; the temporary n8n folder goes either way.
main().then(
	() => {
		removeTemporaryFolders();
		process.exit(0);
	},
	(error) => {
		if (engineLog.length > 0) console.error(`n8n's log:\n${engineLog.join('\n')}\n`);
		console.error(`Demo failed: ${error.message}`);
		removeTemporaryFolders();
		process.exit(1);
	},
);
