#!/usr/bin/env node
'use strict';
/**
 * The v2 requests whose encoding follows Nanonets' published descriptions (README, Compatibility),
 * sent by a real n8n CLI through its own HTTP stack: the package is packed and installed as
 * `npm run e2e` installs it, then `n8n execute` runs one workflow (API key and LowCodeAPI) against
 * the sandbox answering as strictly as the descriptions say (a URL list only URL-encoded, the image
 * model id only as `id`, Train's `modelId` only in the query, then only in the body).
 *
 * Usage: npm run build && node scripts/e2e-published.js   (no browser; about 20 s once n8n is installed)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { installN8n, installPackage, checkModuleResolution, n8nEnv, freePort, startSandbox } = require('./e2e');

const N8N_DIR = path.join(__dirname, '..', '.e2e', 'n8n');
const PACKAGE = require('../package.json');
const WORKFLOW_ID = 'e2eNanonetsPublish1';
const log = (message) => console.log(`[e2e-published] ${message}`);

function check(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
	log(`ok: ${message}`);
}

function n8nCommand(n8n, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [n8n.cli, ...args], { env: n8n.env, cwd: n8n.runDir, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`n8n ${args[0]}: exit code ${code}:\n${output.slice(-3000)}`))));
	});
}

function workflow() {
	const apiKey = { nanonetsAppApi: { id: 'e2ePublishedCred1', name: 'Nanonets sandbox (published)' } };
	const lowCode = { nanonetsLowCodeApi: { id: 'e2ePublishedLcCred', name: 'Nanonets via LowCodeAPI (published)' } };
	const steps = [
		['Get image model', { resource: 'imageModel', operation: 'get', modelId: 'ic-animals' }, apiKey],
		['Train image model', { resource: 'imageModel', operation: 'train', modelId: 'ic-animals' }, apiKey],
		['Classify URLs', { resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://images.example/cat.jpg, https://images.example/dog.jpg' }, apiKey],
		['Classify URLs via LowCodeAPI', { authentication: 'lowCodeApi', resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://images.example/cat.jpg' }, lowCode],
		['Upload training URLs', { resource: 'imageModel', operation: 'uploadTrainingData', modelId: 'ic-animals', category: 'cat', inputType: 'url', urls: 'https://images.example/cat2.jpg' }, apiKey],
		['Predict OCR URLs', { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://files.example/invoice.pdf', outputFormat: 'simplified', options: { pollInterval: 0.5 } }, apiKey],
		['Full Text', { resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://files.example/invoice.pdf' }, apiKey],
	];
	const nodes = [{ id: 'p0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	steps.forEach(([name, parameters, credentials], i) => {
		nodes.push({ id: `p${i + 1}`, name, type: `${PACKAGE.name}.nanonets`, typeVersion: 1, position: [220 * (i + 1), 0], parameters: { authentication: 'apiKey', ...parameters }, credentials, executeOnce: true });
	});
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id: WORKFLOW_ID, name: 'Nanonets published encodings (e2e)', active: false, settings: { executionOrder: 'v1' }, connections, nodes };
}

async function execute(n8n) {
	const output = await n8nCommand(n8n, ['execute', `--id=${WORKFLOW_ID}`, '--rawOutput']);
	const start = output.indexOf('\n{');
	if (start === -1) throw new Error(`n8n execute printed no JSON:\n${output}`);
	const run = JSON.parse(output.slice(start, output.indexOf('\n}', start + 1) + 2));
	const outputOf = (name) => {
		const task = run.data.resultData.runData[name]?.[0];
		if (task?.error) throw new Error(`${name} failed: ${task.error.message}`);
		return (task?.data?.main?.[0] ?? []).map((item) => item.json);
	};
	return outputOf;
}

async function main() {
	const started = Date.now();
	const cli = installN8n();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-published-'));
	const userFolder = path.join(runDir, 'user');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	checkModuleResolution(installPackage(runDir, userFolder), N8N_DIR);
	const sandbox = await startSandbox({ processingMs: 200, perPageMs: 0, trainingMs: 100 });
	let passed = false;
	try {
		const n8n = { cli, runDir, env: n8nEnv(userFolder, filesDir, await freePort(), await freePort()) };
		const credentials = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(credentials, JSON.stringify([
			{ id: 'e2ePublishedCred1', name: 'Nanonets sandbox (published)', type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 } },
			{ id: 'e2ePublishedLcCred', name: 'Nanonets via LowCodeAPI (published)', type: 'nanonetsLowCodeApi', data: { apiToken: sandbox.config.lowCodeToken, baseUrl: sandbox.url, pagesPerMinute: 75 } },
		]));
		await n8nCommand(n8n, ['import:credentials', `--input=${credentials}`]);
		const file = path.join(userFolder, 'workflow.json');
		fs.writeFileSync(file, JSON.stringify(workflow()));
		await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);

		for (const trainModelIdIn of ['query', 'body']) {
			// The strictest reading of each description: one name, one place, one encoding.
			Object.assign(sandbox.state.published, { imageModelIdParam: 'id', trainModelIdIn, urlListBody: 'urlencoded', fullTextKey: 'results' });
			sandbox.reset();
			const outputOf = await execute(n8n);
			check(outputOf('Get image model')[0]?.model_id === 'ic-animals', `Get Model found by the id the server reads (\`id\`; Train's modelId read from the ${trainModelIdIn})`);
			check(outputOf('Train image model')[0]?.model_id === 'ic-animals', `Train accepted with modelId read from the ${trainModelIdIn}`);
			check(outputOf('Classify URLs').length === 2 && outputOf('Classify URLs via LowCodeAPI').length === 1, 'URL lists classified, directly and through LowCodeAPI');
			check(outputOf('Upload training URLs')[0]?.model_id === 'ic-animals', 'training URLs uploaded');
			check(outputOf('Predict OCR URLs')[0]?.fields?.invoice_number !== undefined, 'OCR URL prediction waited for and read');
			check(typeof outputOf('Full Text')[0]?.text === 'string', 'Full Text read from `results`');
			const forms = sandbox.state.requests.filter((request) => /LabelUrls|UploadUrls|Train/.test(request.path) && !/\/OCR\/Model\/[^/]+\/UploadUrls/.test(request.path));
			check(forms.length >= 5 && forms.every((request) => request.contentType === 'application/x-www-form-urlencoded'), `every URL list and Train went URL-encoded through n8n's HTTP client (${forms.length} requests)`);
		}
		passed = true;
		log(`all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
	} finally {
		await sandbox.close();
		if (passed) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`kept for a look: ${runDir}`);
	}
}

main().catch((error) => {
	console.error(`[e2e-published] FAILED: ${error.message}`);
	process.exit(1);
});
