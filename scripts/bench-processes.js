'use strict';
// `npm run bench -- --processes`: several n8n processes (as queue mode workers are) using one
// Nanonets account. One sandbox in a process of its own holds the account's sliding window;
// 1, 2 and 4 worker processes each run the node in n8n-core's engine on their share of the
// batch, every one starting with the whole budget (cold start included). The figures come from
// the sandbox's own log: pages it took, 429s it answered, duplicate uploads (the same file taken
// twice), and from the workers: items failed. A script, not a test: it prints figures.
const { fork } = require('node:child_process');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const LIMIT = 300; // the account's pages per minute, on the sandbox and the credential (75 scaled up 4x)
const PROCESSING_MS = 800;
const PER_PAGE_MS = 40;
const WINDOW_MS = 60_000;
const WORKFLOW_ID = 'wf-bench-processes';

const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---- the sandbox's process ------------------------------------------------------------------------

async function sandboxMain() {
	const { startSandbox } = require('../test/sandbox/server');
	const options = JSON.parse(process.argv[3]);
	const sandbox = await startSandbox({ processingMs: PROCESSING_MS - PER_PAGE_MS, perPageMs: PER_PAGE_MS, workflows: [WORKFLOW_ID], ...options });
	process.on('message', (message) => {
		if (message === 'report') process.send({ report: report(sandbox.state) });
		if (message === 'stop') sandbox.close().then(() => process.exit(0));
	});
	process.send({ url: sandbox.url });
}

/** What the sandbox saw: uploads taken and refused, duplicates by content, when pages were taken. */
function report(state) {
	const uploads = state.requests.filter((request) => request.method === 'POST' && request.upload);
	const accepted = uploads.filter((request) => request.status === 200);
	const hashes = accepted.map((request) => request.upload.sha256);
	return {
		accepted: accepted.length,
		refused: uploads.filter((request) => request.status === 429).length,
		rateLimited: state.stats.rateLimited,
		duplicates: hashes.length - new Set(hashes).size,
		firstAcceptedAt: accepted[0]?.at,
		lastAcceptedAt: accepted.at(-1)?.at,
		/** The most pages the sandbox took in any sliding minute (never above the limit). */
		busiestMinute: busiestMinute(accepted.map((request) => request.at)),
	};
}

function busiestMinute(times) {
	let most = 0;
	for (let i = 0, j = 0; j < times.length; j++) {
		while (times[j] - times[i] >= WINDOW_MS) i++;
		most = Math.max(most, j - i + 1);
	}
	return most;
}

// ---- a worker's process -----------------------------------------------------------------------------

async function workerMain() {
	require('./lib/require-ts');
	const { runNode, jsonOf } = require('../test/engine/harness');
	const { makePdf, binaryItem } = require('../test/fixtures/files');
	const { pageBudgets } = require(path.join(__dirname, '..', 'dist/nodes/Nanonets/transport/pacing'));
	const { url, from, count, limit } = JSON.parse(process.argv[3]);
	const items = Array.from({ length: count }, (_, k) => {
		const i = from + k;
		const spec = { fields: { invoice_number: `INV-${i}`, total_amount: `${100 + i}.00` }, rows: [['Paper', '1', '10.00', '10.00']] };
		return binaryItem(makePdf({ spec }), `invoice-${i}.pdf`, 'application/pdf', { index: i });
	});
	const result = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: WORKFLOW_ID, outputFormat: 'simplified', options: {} },
		items,
		credentials: { nanonetsAppApi: { apiKey: 'sandbox-api-key', baseUrl: url, pagesPerMinute: limit } },
		continueOnFail: true,
	});
	const documents = jsonOf(result);
	const succeeded = documents.filter((document) => document.status === 'success').length;
	const errors = documents.filter((document) => document.error !== undefined).map((document) => String(document.error));
	const [budget] = [...pageBudgets().values()];
	process.send({
		done: {
			succeeded,
			failed: count - succeeded,
			errors: [...new Set(errors)].slice(0, 3),
			executionError: result.error?.message,
			share: budget ? round(budget.share) : 1,
			drops: budget?.stats.drops ?? 0,
			refused: budget?.stats.refused ?? 0,
		},
	}, () => process.exit(0));
}

// ---- the parent ---------------------------------------------------------------------------------------

/** Forks this file in `mode`; resolves with the first message that has `key`. */
function forkChild(mode, config, key) {
	const child = fork(__filename, [`--${mode}`, JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const first = new Promise((resolve, reject) => {
		child.on('message', (message) => message[key] !== undefined && resolve(message[key]));
		child.once('exit', (code) => reject(new Error(`the ${mode} process ended (${code}) before it answered`)));
	});
	return { child, first };
}

async function ask(child, message, key) {
	const answer = new Promise((resolve) => child.on('message', (m) => m[key] !== undefined && resolve(m[key])));
	child.send(message);
	return await answer;
}

/** One run: `processes` workers sharing `documents` one-page documents against one sandbox. */
async function runProcesses({ processes, documents, retryAfterSeconds }) {
	const sandbox = forkChild('sandbox', { pagesPerMinute: LIMIT, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }, 'url');
	const url = await sandbox.first;
	try {
		const started = performance.now();
		const per = Math.ceil(documents / processes);
		const workers = Array.from({ length: processes }, (_, w) => {
			const from = w * per;
			return forkChild('worker', { url, from, count: Math.max(0, Math.min(per, documents - from)), limit: LIMIT }, 'done').first;
		});
		const done = await Promise.all(workers);
		const wallMs = performance.now() - started;
		const seen = await ask(sandbox.child, 'report', 'report');
		// A sliding minute lets the first LIMIT pages go at once: the best possible time for the batch.
		const bestMs = Math.floor((documents - 1) / LIMIT) * WINDOW_MS + PROCESSING_MS;
		return {
			processes,
			documents,
			retryAfter: retryAfterSeconds ? `${retryAfterSeconds} s (whatever the window holds)` : 'honest',
			wallMs: Math.round(wallMs),
			pagesPerMinute: round((seen.accepted / wallMs) * WINDOW_MS, 1),
			ofLimit: round(seen.accepted / wallMs * WINDOW_MS / LIMIT),
			bestMs,
			ofBest: round(bestMs / wallMs),
			busiestMinute: seen.busiestMinute,
			uploads: seen.accepted,
			refused429: seen.rateLimited,
			refusedPerUpload: round(seen.rateLimited / Math.max(1, seen.accepted)),
			failed: done.reduce((total, worker) => total + worker.failed, 0),
			duplicates: seen.duplicates,
			shares: done.map((worker) => worker.share),
			drops: done.map((worker) => worker.drops),
			errors: [...new Set(done.flatMap((worker) => [...worker.errors, ...(worker.executionError ? [worker.executionError] : [])]))],
		};
	} finally {
		sandbox.child.send('stop');
		await new Promise((resolve) => sandbox.child.once('exit', resolve));
	}
}

function table(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
	return rows.map((row) => row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')).join('\n');
}

/**
 * The runs: the batch of 200 as asked, which fits in one window of 300 pages (so the limit never
 * binds and no process meets another's pages), then 800 documents, the same shape as 200 at the
 * real 75 pages/min: the limit binds for three windows. Honest Retry-After, then "Retry-After: 1"
 * whatever the window holds.
 */
async function processesSection({ quick = false } = {}) {
	const plan = [
		{ processes: 1, documents: 200 },
		{ processes: 2, documents: 200 },
		{ processes: 4, documents: 200 },
	];
	if (!quick) {
		plan.push(
			{ processes: 1, documents: 800 },
			{ processes: 2, documents: 800 },
			{ processes: 4, documents: 800 },
			{ processes: 2, documents: 800, retryAfterSeconds: 1 },
			{ processes: 4, documents: 800, retryAfterSeconds: 1 },
		);
	}
	const runs = [];
	for (const run of plan) {
		console.log(`Processes: ${run.processes} x ${run.documents / run.processes} one-page documents, ${LIMIT} pages/min${run.retryAfterSeconds ? `, Retry-After always ${run.retryAfterSeconds} s` : ''} ...`);
		const result = await runProcesses(run);
		runs.push(result);
		console.log(`  ${JSON.stringify(result)}`);
	}
	printProcesses(runs);
	return runs;
}

function printProcesses(runs) {
	console.log(`\nSeveral processes on one account (${LIMIT} pages/min; one-page documents, ${PROCESSING_MS} ms processing; cold start included)`);
	const rows = [['processes', 'documents', 'Retry-After', 'wall s', 'pages/min', 'of limit', 'vs 1 process', 'busiest minute', '429s', '429s/upload', 'failed', 'duplicates', 'shares at end']];
	for (const run of runs) {
		const alone = runs.find((other) => other.processes === 1 && other.documents === run.documents && other.retryAfter === 'honest');
		run.vsOneProcess = alone ? round(alone.wallMs / run.wallMs) : undefined;
		rows.push([run.processes, run.documents, run.retryAfter === 'honest' ? 'honest' : '1 s', run.wallMs / 1000, run.pagesPerMinute, run.ofLimit, run.vsOneProcess ?? '-', run.busiestMinute, run.refused429, run.refusedPerUpload, run.failed, run.duplicates, run.shares.join(' ')]);
	}
	console.log(table(rows));
	console.log('"of limit": pages the sandbox took per minute of wall time (spawning the processes included) over the limit; a sliding minute lets');
	console.log('the first pages of a run go at once, so a short run can exceed 1. "vs 1 process": the time of one process on the same documents over this run\'s.');
	console.log('"busiest minute": the most pages the sandbox took in any sliding minute (it never takes more than the limit).');
	for (const run of runs) if (run.errors.length) console.log(`errors (${run.processes} processes, ${run.documents}): ${run.errors.join(' | ')}`);
}

module.exports = { processesSection };

if (process.argv[2] === '--sandbox') {
	sandboxMain().catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else if (process.argv[2] === '--worker') {
	workerMain().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
