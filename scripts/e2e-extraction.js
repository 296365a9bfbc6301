'use strict';
/**
 * The extraction API in a real n8n (`npm run e2e`, or alone: `npm run e2e -- --only=extraction`):
 * a workflow reads an invoice file and sends it to Extraction > Extract (JSON with named fields
 * and markdown, the markdown also attached as a file), then a long report by URL, which the
 * sync endpoint refuses as too long, so the node goes async and waits. Run with `n8n execute`;
 * the credential is the extraction API's own, pointing at the sandbox's /extraction-api.
 */
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = require('../package.json');

const EXTRACTION_WORKFLOW_ID = 'e2eNanonetsExtract1';
const EXTRACTION_CREDENTIAL_ID = 'e2eNanonetsExtrCr1';

function extractionWorkflow(invoicePath) {
	const credentials = { nanonetsExtractionApi: { id: EXTRACTION_CREDENTIAL_ID, name: 'Nanonets extraction sandbox' } };
	const nodes = [
		{ id: 'x1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'x2', name: 'Read invoice', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: invoicePath, options: {} } },
		{
			id: 'x3',
			name: 'Extract invoice',
			type: `${PACKAGE.name}.nanonets`,
			typeVersion: 2,
			position: [440, 0],
			parameters: {
				resource: 'extraction',
				operation: 'extract',
				inputType: 'binary',
				binaryPropertyName: 'data',
				outputFormats: ['json', 'markdown'],
				fields: 'invoice_number, total_amount, seller_name',
				options: { attachAsFile: ['markdown'] },
			},
			credentials,
		},
		{
			id: 'x4',
			name: 'Extract long report',
			type: `${PACKAGE.name}.nanonets`,
			typeVersion: 2,
			position: [660, 0],
			parameters: {
				resource: 'extraction',
				operation: 'extract',
				inputType: 'url',
				documentUrl: 'https://files.example.com/annual-report-9pages.pdf',
				outputFormats: ['csv'],
				options: { pollInterval: 0.5, timeout: 120 },
			},
			credentials,
		},
	];
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id: EXTRACTION_WORKFLOW_ID, name: 'Extraction API (e2e)', active: false, settings: { executionOrder: 'v1' }, connections, nodes };
}

/** Imports the extraction credential and workflow into the n8n of `n8n`. */
async function importExtraction({ n8n, userFolder, sandbox, invoicePath, n8nCommand }) {
	const credentialsFile = path.join(userFolder, 'extraction-credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{
				id: EXTRACTION_CREDENTIAL_ID,
				name: 'Nanonets extraction sandbox',
				type: 'nanonetsExtractionApi',
				data: { apiKey: sandbox.config.extractionKey, baseUrl: `${sandbox.url}/extraction-api`, pagesPerMinute: 300 },
			},
		]),
	);
	await n8nCommand(n8n, ['import:credentials', `--input=${credentialsFile}`]);
	const file = path.join(userFolder, `${EXTRACTION_WORKFLOW_ID}.json`);
	fs.writeFileSync(file, JSON.stringify(extractionWorkflow(invoicePath)));
	await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);
}

/** Runs the workflow with `n8n execute` and checks what each node gave. */
async function extractionScenario({ n8n, sandbox, invoiceFields, executeWorkflow, check, log }) {
	const started = Date.now();
	const run = (await executeWorkflow(n8n, EXTRACTION_WORKFLOW_ID)).data;
	const seconds = Math.round((Date.now() - started) / 100) / 10;
	const task = (name) => run.resultData.runData[name]?.[0];
	for (const name of ['Extract invoice', 'Extract long report']) {
		if (task(name)?.error) throw new Error(`${name} failed: ${task(name).error.message}`);
	}
	const [invoice] = task('Extract invoice')?.data?.main?.[0] ?? [];
	check(invoice?.json?.status === 'completed' && invoice.json.filename === 'invoice.pdf', 'Extraction > Extract read the invoice file synchronously');
	check(
		invoice.json.json?.invoice_number === invoiceFields.invoice_number && invoice.json.json?.total_amount === invoiceFields.total_amount,
		'the JSON output has the named fields as an object',
	);
	check(typeof invoice.json.markdown === 'string' && invoice.json.markdown.includes(invoiceFields.invoice_number), 'the markdown output is text with the invoice number');
	check(invoice.binary?.markdown?.fileName === 'invoice.md' && invoice.binary.markdown.mimeType === 'text/markdown', 'the markdown is attached as a binary file for the next node');
	const [report] = task('Extract long report')?.data?.main?.[0] ?? [];
	check(report?.json?.status === 'completed' && report.json.pages_processed === 9 && typeof report.json.csv === 'string', 'a 9-page document by URL went async and the node waited for its CSV');
	const sent = sandbox.state.requests.filter((request) => request.via === 'extraction');
	check(sent.some((r) => r.path.endsWith('/extract/sync') && r.status === 400) && sent.some((r) => r.path.endsWith('/extract/async') && r.status === 202), 'the too-long sync answer was followed by the async endpoint');
	check(!JSON.stringify(run).includes(sandbox.config.extractionKey), 'the extraction API key is not in the stored run');
	log(`extraction workflow ran in ${seconds} s (n8n execute, both nodes)`);
}

module.exports = { importExtraction, extractionScenario, EXTRACTION_WORKFLOW_ID, EXTRACTION_CREDENTIAL_ID };
