'use strict';
/**
 * `npm run e2e -- --queue`: the node in n8n's queue mode, as users scale it. Starts Redis
 * (Debian's redis-server, bound to 127.0.0.1, installed with apt-get when missing) and a
 * PostgreSQL of its own (n8n does not support SQLite in queue mode: it warns "Scaling mode is not
 * officially supported with sqlite"), then two `n8n worker` processes and `n8n start` (main) with
 * EXECUTIONS_MODE=queue, all against the local Nanonets sandbox at the account's real limit of
 * 75 pages a minute. Checks:
 * - throughput: 4 executions of an upload workflow at once (50 documents each, started by its
 *   webhook, run by the workers): every item succeeds, no document is uploaded twice, and the
 *   sandbox's log gives the pages per minute taken and the 429s it answered;
 * - the Nanonets Trigger: its polls run on main only (none while main is stopped, though the
 *   workers run), the executions it starts run on the workers, and a document uploaded while
 *   main was stopped is emitted exactly once after main starts again; nothing is replayed.
 *
 * Usage: npm run build && npm run e2e -- --queue   (E2E_KEEP=1 keeps the run's folder and logs)
 */
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const e2e = require('./e2e');
const { makePdf } = require('../test/fixtures/files');

const PACKAGE = require('../package.json');
const LIMIT = 75; // Nanonets' pages per minute, on the sandbox and the credential (its default)
const PROCESSING_MS = 800;
const EXECUTIONS = 4;
const DOCUMENTS_PER_EXECUTION = 50;
const WORKERS = 2;
const BATCH_WORKFLOW_ID = 'e2eQueueBatch00001';
const TRIGGER_WORKFLOW_ID = 'e2eQueueTrigger001';
const CREDENTIAL_ID = 'e2eQueueCredential';
const BATCH_NANONETS_WORKFLOW = 'wf-queue-batch';
const TRIGGER_NANONETS_WORKFLOW = 'wf-queue-trigger';
const WEBHOOK_PATH = 'nanonets-queue-batch';
const POLL_WAIT_MS = 150_000;

const log = (message) => console.log(`[e2e --queue] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function check(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
	log(`ok: ${message}`);
}

async function waitFor(what, timeoutMs, probe, everyMs = 1000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() >= until) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
		await sleep(everyMs);
	}
}

// ---- Redis and PostgreSQL ------------------------------------------------------------------------

const isRoot = () => process.getuid?.() === 0;

/** Installs Debian packages with apt-get (as root only), when a program is missing. */
function aptInstall(packages, why) {
	if (!isRoot()) throw new Error(`${why} is missing: install ${packages.join(' ')} (apt-get install -y ${packages.join(' ')})`);
	log(`${why} is missing: installing ${packages.join(' ')} with apt-get`);
	execFileSync('apt-get', ['update'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function which(program) {
	try {
		return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** A child process whose output goes to `logFile`; resolves once a line matches `ready`. */
async function startLogged(name, command, args, { env, cwd, logFile, ready, timeoutMs = 90_000 }) {
	const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
	const out = fs.createWriteStream(logFile, { flags: 'a' });
	let seen = '';
	const onData = (chunk) => {
		out.write(chunk);
		if (seen.length < 200_000) seen += chunk;
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	await waitFor(`${name} to start (see ${logFile})`, timeoutMs, () => {
		if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} (see ${logFile}):\n${seen.slice(-2000)}`);
		return ready.test(seen);
	}, 250);
	log(`${name} is up`);
	return {
		child,
		logFile,
		async stop(signal = 'SIGTERM', graceMs = 30_000) {
			if (child.exitCode !== null) return;
			child.kill(signal);
			const exited = await Promise.race([new Promise((resolve) => child.once('exit', () => resolve(true))), sleep(graceMs)]);
			if (!exited && child.exitCode === null) child.kill('SIGKILL');
		},
	};
}

async function startRedis(runDir) {
	if (!which('redis-server')) aptInstall(['redis-server'], 'redis-server');
	const port = await e2e.freePort();
	const redis = await startLogged('Redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', runDir], {
		logFile: path.join(runDir, 'redis.log'),
		ready: /Ready to accept connections/,
	});
	return { ...redis, port };
}

function postgresBin() {
	const find = () => {
		const root = '/usr/lib/postgresql';
		if (!fs.existsSync(root)) return undefined;
		const versions = fs.readdirSync(root).filter((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
		return versions.length ? path.join(root, versions[0], 'bin') : undefined;
	};
	let bin = find();
	if (!bin) {
		aptInstall(['postgresql'], 'PostgreSQL');
		bin = find();
	}
	if (!bin) throw new Error('apt-get installed no PostgreSQL under /usr/lib/postgresql');
	return bin;
}

/**
 * A PostgreSQL cluster of this run only: its own data folder, port and socket folder, listening
 * on 127.0.0.1 only, trust authentication for the `n8n` user. PostgreSQL refuses to run as root:
 * as root it runs as the `postgres` user.
 */
async function startPostgres(runDir) {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-pg-'));
	const data = path.join(dir, 'data');
	const asPostgres = (program, args) => (isRoot() ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args]);
	if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
	const [initCommand, initArgs] = asPostgres('initdb', ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
	execFileSync(initCommand, initArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
	const port = await e2e.freePort();
	const [command, args] = asPostgres('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
	const server = await startLogged('PostgreSQL', command, args, { logFile: path.join(runDir, 'postgres.log'), ready: /ready to accept connections/ });
	execFileSync(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { stdio: 'inherit' });
	return {
		port,
		async stop() {
			const [stopCommand, stopArgs] = asPostgres('pg_ctl', ['stop', '-D', data, '-m', 'fast']);
			try {
				execFileSync(stopCommand, stopArgs, { stdio: 'ignore' });
			} catch {
				await server.stop();
			}
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---- workflows -------------------------------------------------------------------------------------

const credentials = { nanonetsAppApi: { id: CREDENTIAL_ID, name: 'Nanonets sandbox (queue)' } };

/** Webhook (answers at once) -> Read Files (the batch's folder, from the query) -> Nanonets Upload. */
function batchWorkflow(filesDir) {
	return {
		id: BATCH_WORKFLOW_ID,
		name: 'Batch to Nanonets (e2e queue)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'Read batch', type: 'main', index: 0 }]] },
			'Read batch': { main: [[{ node: 'Nanonets', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: 'q1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} } },
			{ id: 'q2', name: 'Read batch', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: `={{ ${JSON.stringify(`${filesDir}/batch-`)} + $json.query.batch + '/*.pdf' }}`, options: {} } },
			{
				id: 'q3',
				name: 'Nanonets',
				type: `${PACKAGE.name}.nanonets`,
				typeVersion: 1,
				position: [440, 0],
				parameters: { authentication: 'apiKey', resource: 'document', operation: 'upload', workflowId: BATCH_NANONETS_WORKFLOW, inputType: 'binary', binaryPropertyName: 'data', waitForCompletion: true, outputFormat: 'simplified', options: {} },
				credentials,
			},
		],
	};
}

/** Nanonets Trigger (every minute) -> a node that records the item. */
function triggerWorkflow() {
	return e2e.triggerWorkflow({ id: TRIGGER_WORKFLOW_ID, name: 'Nanonets Trigger (e2e queue)', workflowId: TRIGGER_NANONETS_WORKFLOW, credentials });
}

// ---- n8n in queue mode ---------------------------------------------------------------------------

async function queueEnv(userFolder, filesDir, redis, postgres) {
	const env = e2e.n8nEnv(userFolder, filesDir, await e2e.freePort(process.env.E2E_N8N_PORT), await e2e.freePort());
	delete env.DB_SQLITE_POOL_SIZE;
	return {
		...env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		// Main and workers decrypt the same credentials.
		N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
		N8N_LOG_LEVEL: 'info',
	};
}

/** An `n8n worker` process; its log tells which executions it ran. */
async function startWorker(n8n, index) {
	const env = { ...n8n.env, N8N_RUNNERS_BROKER_PORT: String(await e2e.freePort()), QUEUE_HEALTH_CHECK_PORT: String(await e2e.freePort()), N8N_PORT: String(await e2e.freePort()) };
	const logFile = path.join(n8n.runDir, `n8n-worker-${index}.log`);
	const worker = await startLogged(`n8n worker ${index}`, process.execPath, [n8n.cli, 'worker', '--concurrency=10'], { env, cwd: n8n.runDir, logFile, ready: /n8n worker is now ready/ });
	return { ...worker, index, executions: () => executionIdsIn(fs.readFileSync(logFile, 'utf8')) };
}

/** Execution ids a worker's log says it started. */
function executionIdsIn(text) {
	return [...new Set([...text.matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]))];
}

async function n8nImport(n8n, userFolder, sandbox, filesDir) {
	const credentialsFile = path.join(userFolder, 'queue-credentials.json');
	fs.writeFileSync(credentialsFile, JSON.stringify([{ id: CREDENTIAL_ID, name: 'Nanonets sandbox (queue)', type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: LIMIT } }]));
	await n8nCommand(n8n, ['import:credentials', `--input=${credentialsFile}`]);
	for (const workflow of [batchWorkflow(filesDir), triggerWorkflow()]) {
		const file = path.join(userFolder, `${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);
		await n8nCommand(n8n, ['publish:workflow', `--id=${workflow.id}`]);
	}
}

function n8nCommand(n8n, args) {
	log(`n8n ${args.join(' ').replace(/--input=\S+/, '--input=<file>')}`);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [n8n.cli, ...args], { env: n8n.env, cwd: n8n.runDir, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`n8n ${args[0]} exited with ${code}:\n${output.slice(-3000)}`))));
	});
}

// ---- executions over the REST API ---------------------------------------------------------------

function parseFlatted(text) {
	const flatted = require(require.resolve('flatted', { paths: [path.dirname(path.dirname(n8nCliPath()))] }));
	return flatted.parse(text);
}

let cliPath;
const n8nCliPath = () => cliPath;

async function listExecutions(server, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	return (await server.get(`/executions?filter=${filter}&limit=100`)).results;
}

async function readExecution(server, id, timeoutMs = 60_000) {
	return await waitFor(`execution ${id} to finish`, timeoutMs, async () => {
		const execution = await server.get(`/executions/${id}`);
		if (!execution.finished && ['new', 'running', 'waiting'].includes(execution.status)) return undefined;
		return { ...execution, data: parseFlatted(execution.data) };
	});
}

function itemsOf(execution, nodeName) {
	return (execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

// ---- the sandbox's log ------------------------------------------------------------------------------

function uploadFigures(sandbox, since) {
	const uploads = sandbox.state.requests.filter((request) => request.method === 'POST' && request.path.includes(`/workflows/${BATCH_NANONETS_WORKFLOW}/documents`) && request.at >= since);
	const accepted = uploads.filter((request) => request.status === 200);
	const hashes = accepted.map((request) => request.upload?.sha256);
	let busiest = 0;
	const times = accepted.map((request) => request.at);
	for (let i = 0, j = 0; j < times.length; j++) {
		while (times[j] - times[i] >= 60_000) i++;
		busiest = Math.max(busiest, j - i + 1);
	}
	return {
		accepted: accepted.length,
		refused429: uploads.filter((request) => request.status === 429).length,
		duplicates: hashes.length - new Set(hashes).size,
		firstAcceptedAt: times[0],
		lastAcceptedAt: times.at(-1),
		busiestMinute: busiest,
	};
}

const triggerListRoute = `/api/v4/workflows/${TRIGGER_NANONETS_WORKFLOW}/documents`;
const pollCount = (sandbox) => e2e.pollCount(sandbox, triggerListRoute);
const uploadToSandbox = (sandbox, fileName, fields) => e2e.uploadToSandbox(sandbox, fileName, fields, triggerListRoute);

// ---- scenarios -------------------------------------------------------------------------------------

/** 4 executions at once through the webhook; the workers run them. */
async function batchScenario(server, sandbox, workers, n8n) {
	const webhook = `http://127.0.0.1:${n8n.env.N8N_PORT}/webhook/${WEBHOOK_PATH}`;
	const before = new Set((await listExecutions(server, BATCH_WORKFLOW_ID)).map((execution) => execution.id));
	const started = Date.now();
	// Main may answer before it has registered the published workflow's webhook: a 404 started
	// nothing, so that batch is sent again (for a minute at most).
	const send = async (batch) => {
		for (const until = Date.now() + 60_000; ; await sleep(1000)) {
			const answer = await fetch(`${webhook}?batch=${batch}`, { method: 'POST' });
			if (answer.status !== 404 || Date.now() > until) return answer;
		}
	};
	const answers = await Promise.all(Array.from({ length: EXECUTIONS }, (_, batch) => send(batch)));
	check(answers.every((answer) => answer.ok), `the webhook took ${EXECUTIONS} batches at once (${answers.map((answer) => answer.status).join(', ')})`);
	const finished = await waitFor(`${EXECUTIONS} batch executions to finish`, 10 * 60_000, async () => {
		const executions = (await listExecutions(server, BATCH_WORKFLOW_ID)).filter((execution) => !before.has(execution.id));
		const done = executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		return done.length >= EXECUTIONS ? done : undefined;
	}, 2000);
	const wallMs = Date.now() - started;
	const executions = [];
	for (const execution of finished) executions.push(await readExecution(server, execution.id));
	const items = executions.flatMap((execution) => itemsOf(execution, 'Nanonets'));
	const succeeded = items.filter((item) => item.status === 'success').length;
	const failedItems = EXECUTIONS * DOCUMENTS_PER_EXECUTION - succeeded;
	const stoppedAt = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt)));
	const seen = uploadFigures(sandbox, started);
	const documents = EXECUTIONS * DOCUMENTS_PER_EXECUTION;
	const bestMs = Math.floor((documents - 1) / LIMIT) * 60_000 + PROCESSING_MS;
	const runMs = (Number.isFinite(stoppedAt) ? stoppedAt : Date.now()) - started;
	const perWorker = workers.map((worker) => executions.filter((execution) => worker.executions().includes(String(execution.id))).length);
	const figures = {
		executions: executions.length,
		documents,
		limit: LIMIT,
		runSeconds: runMs / 1000,
		wallSecondsIncludingChecks: wallMs / 1000,
		pagesPerMinute: Math.round((seen.accepted / runMs) * 60_000 * 10) / 10,
		ofLimit: Math.round(((seen.accepted / runMs) * 60_000 * 100) / LIMIT) / 100,
		bestSeconds: bestMs / 1000,
		ofBest: Math.round((bestMs / runMs) * 100) / 100,
		busiestMinute: seen.busiestMinute,
		uploads: seen.accepted,
		refused429: seen.refused429,
		failedItems,
		failedExecutions: executions.filter((execution) => execution.status !== 'success').length,
		duplicates: seen.duplicates,
		executionsPerWorker: perWorker,
	};
	log(`batch figures: ${JSON.stringify(figures)}`);
	check(executions.every((execution) => execution.status === 'success'), `the ${EXECUTIONS} executions succeeded (${executions.map((execution) => execution.status).join(', ')})`);
	check(failedItems === 0, `every one of the ${documents} documents was processed (failed items: ${failedItems})`);
	check(seen.duplicates === 0 && seen.accepted === documents, `each document was uploaded once (${seen.accepted} uploads taken, ${seen.duplicates} duplicates)`);
	check(seen.busiestMinute <= LIMIT, `the sandbox never took more than ${LIMIT} pages in a minute (busiest: ${seen.busiestMinute})`);
	check(perWorker.reduce((a, b) => a + b, 0) === EXECUTIONS && perWorker.every((count) => count > 0), `the executions ran on the workers (${perWorker.join(' + ')})`);
	return figures;
}

/** The trigger's baseline poll (on main), then one new document emitted once, on a worker. */
async function triggerFirstScenario(server, sandbox, workers, pollsBefore) {
	await waitFor('the activation poll of the trigger', 90_000, () => pollCount(sandbox) > pollsBefore);
	log('the trigger recorded its baseline');
	const first = await uploadToSandbox(sandbox, 'queue-first.pdf', { invoice_number: 'INV-Q1', total_amount: '10.00' });
	log(`waiting for the next poll (every minute, up to ${POLL_WAIT_MS / 1000} s)`);
	const execution = await waitFor('an execution started by the trigger', POLL_WAIT_MS, async () =>
		(await listExecutions(server, TRIGGER_WORKFLOW_ID)).find((entry) => entry.mode === 'trigger'),
	);
	const read = await readExecution(server, execution.id);
	check(itemsOf(read, 'Record document').some((item) => item.document_id === first), 'the trigger emitted the document uploaded after activation');
	await waitFor(`a worker to log execution ${execution.id}`, 30_000, () => workers.some((worker) => worker.executions().includes(String(execution.id))));
	check(true, `the trigger's execution ${execution.id} ran on a worker (worker ${workers.find((worker) => worker.executions().includes(String(execution.id))).index})`);
	return { first };
}

async function triggerHistory(server) {
	const executions = [];
	for (const entry of (await listExecutions(server, TRIGGER_WORKFLOW_ID)).filter((execution) => execution.mode === 'trigger')) executions.push(await readExecution(server, entry.id));
	return executions;
}

async function main() {
	cliPath = e2e.installN8n();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-queue-'));
	const userFolder = path.join(runDir, 'user');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	for (let batch = 0; batch < EXECUTIONS; batch++) {
		const dir = path.join(filesDir, `batch-${batch}`);
		fs.mkdirSync(dir, { recursive: true });
		for (let i = 0; i < DOCUMENTS_PER_EXECUTION; i++) {
			const n = batch * DOCUMENTS_PER_EXECUTION + i;
			fs.writeFileSync(path.join(dir, `invoice-${n}.pdf`), makePdf({ spec: { fields: { invoice_number: `INV-${n}`, total_amount: `${100 + n}.00` } } }));
		}
	}
	const installed = e2e.installPackage(runDir, userFolder);
	e2e.checkModuleResolution(installed, path.dirname(path.dirname(path.dirname(path.dirname(cliPath)))));
	const sandbox = await e2e.startSandbox({ processingMs: PROCESSING_MS - 40, perPageMs: 40, pagesPerMinute: LIMIT, workflows: [BATCH_NANONETS_WORKFLOW, TRIGGER_NANONETS_WORKFLOW] });
	log(`sandbox at ${sandbox.url} (${LIMIT} pages/min)`);
	const stops = [];
	let passed = false;
	const timings = {};
	try {
		const redis = await startRedis(runDir);
		stops.push(() => redis.stop());
		log(`redis-server on 127.0.0.1:${redis.port}`);
		const postgres = await startPostgres(runDir);
		stops.push(() => postgres.stop());
		log(`PostgreSQL on 127.0.0.1:${postgres.port}`);
		const n8n = { cli: cliPath, runDir, env: await queueEnv(userFolder, filesDir, redis, postgres) };
		let t = Date.now();
		await n8nImport(n8n, userFolder, sandbox, filesDir);
		timings.importSeconds = (Date.now() - t) / 1000;

		t = Date.now();
		const workers = [];
		for (let index = 1; index <= WORKERS; index++) {
			const worker = await startWorker(n8n, index);
			workers.push(worker);
			stops.unshift(() => worker.stop());
		}
		timings.workersStartSeconds = (Date.now() - t) / 1000;

		const pollsBefore = pollCount(sandbox);
		const firstRun = await e2e.withN8nServer(n8n, async (server) => {
			const batch = await batchScenario(server, sandbox, workers, n8n);
			const trigger = await triggerFirstScenario(server, sandbox, workers, pollsBefore);
			return { batch, ...trigger, executionIds: (await triggerHistory(server)).map((execution) => execution.id) };
		});

		// Main is stopped; the workers keep running. A document finishes meanwhile.
		const stoppedAt = Date.now();
		const pollsWhileStopped = pollCount(sandbox);
		const whileStopped = await uploadToSandbox(sandbox, 'queue-while-main-stopped.pdf', { invoice_number: 'INV-Q2', total_amount: '20.00' });
		log('main is stopped, the workers run: waiting 70 s, longer than the poll interval');
		await sleep(Math.max(0, 70_000 - (Date.now() - stoppedAt)));
		check(pollCount(sandbox) === pollsWhileStopped, 'with main stopped, nothing polled Nanonets for 70 s: the workers do not run the trigger');
		check(workers.every((worker) => worker.child.exitCode === null), 'the workers are still running');

		await e2e.withN8nServer(n8n, async (server) => {
			const isNew = (execution) => execution.mode === 'trigger' && !firstRun.executionIds.includes(execution.id);
			log(`waiting for the trigger after main's restart (up to ${POLL_WAIT_MS / 1000} s)`);
			await waitFor('an execution started by the trigger after the restart', POLL_WAIT_MS, async () => (await listExecutions(server, TRIGGER_WORKFLOW_ID)).some(isNew));
			const polls = pollCount(sandbox);
			await waitFor('one more poll after the restart', 75_000, () => pollCount(sandbox) > polls);
			await sleep(3000);
			const all = await triggerHistory(server);
			const emitted = all.flatMap((execution) => itemsOf(execution, 'Record document').map((item) => item.document_id));
			check(all.every((execution) => execution.status === 'success'), `the trigger's executions succeeded (${all.length})`);
			check(emitted.filter((id) => id === whileStopped).length === 1, 'the document that finished while main was stopped was emitted exactly once after the restart');
			check(emitted.filter((id) => id === firstRun.first).length === 1, 'the document emitted before the restart was not emitted again');
			const ranOn = all.filter(isNew).map((execution) => workers.find((worker) => worker.executions().includes(String(execution.id)))?.index);
			check(ranOn.every((index) => index !== undefined), `after the restart the trigger's executions ran on the workers (${ranOn.join(', ')})`);
		});
		log(`figures: ${JSON.stringify({ ...firstRun.batch, ...timings })}`);
		fs.mkdirSync(path.join(__dirname, '..', 'bench'), { recursive: true });
		fs.writeFileSync(path.join(__dirname, '..', 'bench', 'e2e-queue.json'), `${JSON.stringify({ ...firstRun.batch, ...timings }, null, 2)}\n`);
		log('all queue-mode checks passed');
		passed = true;
	} finally {
		for (const stop of stops) await stop().catch(() => undefined);
		await sandbox.close();
		if (passed && !process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`the run's folder (n8n user folder, logs of main, workers, Redis, PostgreSQL) is kept in ${runDir}`);
	}
}

module.exports = { main };
