'use strict';
// `npm run bench`: how fast and how lean the Nanonets node is, measured inside n8n-core against
// the local Nanonets sandbox. A script, not a test: it prints figures and writes them to
// bench/results.json; it asserts nothing (timings on a shared machine are noisy).
//
// Run with --expose-gc (the npm script does) so memory is measured after a garbage collection.
require('./lib/require-ts');

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { runNode, jsonOf } = require('../test/engine/harness');
const { processesSection } = require('./bench-processes');
const { openSandbox, credentialsFor } = require('../test/engine/sandbox');
const { makePdf, binaryItem } = require('../test/fixtures/files');

const ROOT = path.resolve(__dirname, '..');
const { documentFromV4 } = require(path.join(ROOT, 'dist/nodes/Nanonets/results/v4'));
const { toItems, outputFormats } = require(path.join(ROOT, 'dist/nodes/Nanonets/results/formats'));
const { DEFAULT_CONCURRENCY } = require(path.join(ROOT, 'dist/nodes/Nanonets/actions/common'));

/** BENCH_QUICK=1: a fifth of the batch, to try the script out. */
const BATCH = process.env.BENCH_QUICK ? 20 : 100;
/** Sandbox delays: this much per document plus PER_PAGE_MS per page. */
const PER_PAGE_MS = 40;
/** Sandbox processing time of a one-page document: short, so the run takes minutes, not hours. */
const PROCESSING_MS = 800;
const sandboxDelays = { processingMs: PROCESSING_MS - PER_PAGE_MS, perPageMs: PER_PAGE_MS };
/** The account limit scaled up 4x (Nanonets: 75), so that 100 pages are a 20-second job. */
const SCALED_PAGES_PER_MINUTE = 300;
/** The real limit, for the run where the limit binds: 100 pages need a second minute. */
const REAL_PAGES_PER_MINUTE = 75;
/** The baseline's wait between status checks, as a Wait node in an HTTP Request loop. */
const BASELINE_POLL_MS = 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => Math.round(ms) / 1000;
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function invoices(count, pages = 1) {
	return Array.from({ length: count }, (_, i) => {
		const spec = { fields: { invoice_number: `INV-${i}`, total_amount: `${100 + i}.00` }, rows: [['Paper', '1', '10.00', '10.00']] };
		return binaryItem(makePdf({ pages, spec }), `invoice-${i}.pdf`, 'application/pdf', { index: i });
	});
}

const uploadParameters = (workflowId, options = {}, extra = {}) => ({
	resource: 'document',
	operation: 'upload',
	workflowId,
	outputFormat: 'simplified',
	options,
	...extra,
});

function surfacedErrors(result) {
	return (result.error ? 1 : 0) + result.items.filter((item) => item.json.error !== undefined).length;
}

/** Our node on the whole batch: one execution, items run concurrently and paced. */
async function ourBatch({ pagesPerMinute, concurrency, items = invoices(BATCH), delays = sandboxDelays }) {
	const workflowId = `wf-ours-${pagesPerMinute}-${concurrency ?? 'default'}-${delays.processingMs}-${delays.perPageMs}`;
	const sandbox = await openSandbox({ ...delays, pagesPerMinute, workflows: [workflowId] });
	try {
		const started = performance.now();
		const result = await runNode({
			parameters: uploadParameters(workflowId, concurrency ? { concurrency } : {}),
			items,
			credentials: credentialsFor(sandbox, pagesPerMinute),
		});
		const wallMs = performance.now() - started;
		const ok = jsonOf(result).filter((document) => document.status === 'success').length;
		return {
			wallMs,
			succeeded: ok,
			rateLimited429: sandbox.state.stats.rateLimited,
			errors: surfacedErrors(result),
			waits: waitOverhead(sandbox, workflowId),
		};
	} finally {
		await sandbox.close();
	}
}

/**
 * The baseline: what a user builds from n8n's HTTP Request node in a loop. One document at a
 * time: an async upload, then Wait 1 s and a status request until it is done. Each request is
 * its own engine execution of our node with concurrency 1 (Upload without waiting, then Get),
 * so both sides pay the same engine and HTTP costs and differ only in how they schedule.
 */
async function baselineBatch({ pagesPerMinute }) {
	const workflowId = 'wf-baseline';
	const sandbox = await openSandbox({ ...sandboxDelays, pagesPerMinute, workflows: [workflowId] });
	const credentials = credentialsFor(sandbox, pagesPerMinute);
	let errors = 0;
	try {
		const started = performance.now();
		for (const item of invoices(BATCH)) {
			const uploaded = await runNode({
				parameters: uploadParameters(workflowId, { concurrency: 1 }, { waitForCompletion: false }),
				items: [item],
				credentials,
			});
			errors += surfacedErrors(uploaded);
			const documentId = jsonOf(uploaded)[0]?.document_id;
			for (;;) {
				await sleep(BASELINE_POLL_MS);
				const checked = await runNode({
					parameters: { resource: 'document', operation: 'get', workflowId, documentId },
					credentials,
				});
				if (surfacedErrors(checked)) {
					errors += 1;
					break;
				}
				if (['success', 'failure'].includes(jsonOf(checked)[0]?.status)) break;
			}
		}
		return { wallMs: performance.now() - started, rateLimited429: sandbox.state.stats.rateLimited, errors };
	} finally {
		await sandbox.close();
	}
}

/**
 * Per document, from the sandbox's own log: time from the upload's arrival to the answer that
 * carried the result (the synchronous upload's answer, or the first status request after the
 * document was ready), against the processing delay the sandbox applied.
 */
function waitOverhead(sandbox, workflowId) {
	const documents = sandbox.state.workflows.get(workflowId) ?? [];
	let delays = 0;
	let waited = 0;
	let polled = 0;
	for (const document of documents) {
		const uploadedAt = Date.parse(document.uploaded_at);
		const delay = document.readyAt - uploadedAt;
		const checks = sandbox.state.requests.filter(
			(request) => request.method === 'GET' && request.path.endsWith(`/documents/${document.document_id}`),
		);
		let resultAt;
		if (checks.length === 0) resultAt = document.readyAt; // synchronous: answered when ready
		else {
			polled += 1;
			resultAt = checks.find((request) => request.at >= document.readyAt)?.at ?? document.readyAt;
		}
		delays += delay;
		waited += resultAt - uploadedAt;
	}
	return {
		documents: documents.length,
		polled,
		processingMs: delays,
		uploadToResultMs: waited,
		overhead: delays ? round((waited - delays) / delays, 3) : 0,
	};
}

/** Starts the sandbox in a child process, so its copy of an upload is not in our figures. */
async function sandboxProcess() {
	const child = spawn(process.execPath, [path.join(ROOT, 'test/sandbox/start.js')], {
		env: { ...process.env, SANDBOX_PORT: '0' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk) => {
			output += chunk;
			const match = /listening on (\S+)/.exec(output);
			if (match) resolve(match[1]);
		});
		child.once('exit', () => reject(new Error('the sandbox process ended early')));
	});
	return {
		credentials: {
			nanonetsAppApi: { apiKey: 'sandbox-api-key', baseUrl: url, pagesPerMinute: 0 },
		},
		stop: () => child.kill(),
	};
}

function memoryNow() {
	const usage = process.memoryUsage();
	// `external` includes array buffers (Buffers) and strings kept outside the heap.
	return { rss: usage.rss, heap: usage.heapUsed, external: usage.external };
}

/** Peak growth of RSS, heap and external memory during `run`, sampled every millisecond. */
async function peakGrowth(run) {
	global.gc?.();
	global.gc?.();
	const before = memoryNow();
	const peak = { ...before };
	const sample = () => {
		const now = memoryNow();
		for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
	};
	const timer = setInterval(sample, 1);
	try {
		await run();
	} finally {
		clearInterval(timer);
		sample();
	}
	return Object.fromEntries(Object.keys(peak).map((key) => [key, peak[key] - before[key]]));
}

const UPLOAD_BYTES = 20 * 1024 * 1024 - 4096;

/**
 * Memory growth while one 20 MB PDF is uploaded in one binary data mode ('memory', n8n's
 * default, or 'filesystem'), measured in this process: run it in a fresh one (see below).
 */
async function uploadMemoryIn(mode) {
	const { Container } = require('@n8n/di');
	const { BinaryDataService } = require('n8n-core');
	const binaryData = Container.get(BinaryDataService);
	binaryData.config.mode = 'filesystem';
	binaryData.config.localStoragePath = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nanonets-bench-'));
	await binaryData.init();

	const sandbox = await sandboxProcess();
	try {
		const parameters = uploadParameters('wf-invoices', {}, { outputFormat: 'document' });
		// Warm up the engine and the connection, so that their one-time costs are not counted.
		await runNode({ parameters, items: invoices(1), credentials: sandbox.credentials });

		let item;
		if (mode === 'memory') item = binaryItem(makePdf({ padTo: UPLOAD_BYTES }), 'large.pdf');
		else {
			const stored = await binaryData.store(
				{ type: 'execution', workflowId: 'bench', executionId: '1' },
				makePdf({ padTo: UPLOAD_BYTES }),
				{ data: '', mimeType: 'application/pdf', fileName: 'large.pdf' },
			);
			item = { json: {}, binary: { data: stored } };
		}
		let error;
		const growth = await peakGrowth(async () => {
			error = (await runNode({ parameters, items: [item], credentials: sandbox.credentials })).error;
		});
		const result = { ...growth, error: error?.message };
		for (const key of ['rss', 'heap', 'external']) result[`${key}Multiple`] = round(result[key] / UPLOAD_BYTES);
		return result;
	} finally {
		sandbox.stop();
	}
}

/** Both binary modes, each in a fresh process, so that one's freed memory does not hide the other's. */
async function uploadMemory() {
	const results = { fileBytes: UPLOAD_BYTES };
	for (const mode of ['memory', 'filesystem']) {
		const child = spawn(process.execPath, ['--expose-gc', __filename, `--memory-child=${mode}`], { stdio: ['ignore', 'pipe', 'inherit'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		await new Promise((resolve) => child.once('exit', resolve));
		const line = output.split('\n').find((text) => text.startsWith('{'));
		results[mode] = line ? JSON.parse(line) : { rss: NaN, heap: NaN, external: NaN, error: 'the measuring process failed' };
	}
	return results;
}

/** A v4 answer with `pages` pages of 20 fields and a 30-row, 4-column table each. */
function largeDocument(pages) {
	return {
		document_id: 'bench',
		status: 'success',
		original_document_name: 'bench.pdf',
		uploaded_at: new Date().toISOString(),
		metadata: null,
		pages: Array.from({ length: pages }, (_, p) => ({
			page_id: `p${p}`,
			page_number: p + 1,
			data: {
				fields: Object.fromEntries(
					Array.from({ length: 20 }, (_, f) => [
						`field_${f}`,
						[{ value: `value ${p}-${f}`, confidence: 0.95, bbox: [1, 2, 3, 4], verification_status: 'success', is_moderated: false, field_data_id: `f${p}-${f}` }],
					]),
				),
				tables: [
					{
						table_id: `t${p}`,
						cells: Array.from({ length: 30 * 4 }, (_, c) => ({
							row: Math.floor(c / 4),
							col: c % 4,
							header: ['description', 'quantity', 'unit_price', 'amount'][c % 4],
							text: `cell ${c}`,
						})),
					},
				],
			},
		})),
	};
}

/** Time to turn one answer into items, every output format, median of several runs. */
function shaping() {
	return [50, 200, 500].map((pages) => {
		const raw = largeDocument(pages);
		// Once unmeasured, so that compiling the code is not counted for the first size.
		for (const format of outputFormats) toItems(raw, documentFromV4(raw), format);
		const times = [];
		for (let run = 0; run < 11; run++) {
			global.gc?.(); // earlier garbage is not this run's cost
			const started = performance.now();
			for (const format of outputFormats) toItems(raw, documentFromV4(raw), format);
			times.push(performance.now() - started);
		}
		times.sort((a, b) => a - b);
		const ms = times[Math.floor(times.length / 2)];
		return { pages, ms: round(ms), usPerPage: round((ms * 1000) / pages, 1) };
	});
}

/** Peak growth in MB and as a multiple of the file: the target is at most 2x in both modes. */
function printMemory(mem) {
	const mb = (bytes) => round(bytes / 1048576, 1);
	console.log(`\nPeak memory growth uploading one ${mb(mem.fileBytes)} MB PDF: MB (multiple of the file size)`);
	const memoryRows = [['binary mode', 'rss', 'heap', 'external', 'error']];
	for (const mode of ['memory', 'filesystem']) {
		const m = mem[mode];
		const cell = (key) => `${mb(m[key])} (${m[`${key}Multiple`]}x)`;
		memoryRows.push([mode === 'memory' ? 'default (memory)' : mode, cell('rss'), cell('heap'), cell('external'), m.error ?? '-']);
	}
	console.log(table(memoryRows));
}

function table(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
	return rows.map((row) => row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')).join('\n');
}

(async () => {
	if (!global.gc) console.warn('Run with --expose-gc for steadier memory figures.');
	const memoryChild = process.argv.find((arg) => arg.startsWith('--memory-child='));
	if (memoryChild) {
		console.log(JSON.stringify(await uploadMemoryIn(memoryChild.split('=')[1])));
		process.exit(0);
	}
	const results = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` } };
	const extractionBench = require('./bench-extraction');
	if (process.argv.includes('--extraction')) {
		// `npm run bench -- --extraction`: only the extraction API's line.
		extractionBench.printExtractionBench(await extractionBench.runExtractionBench());
		process.exit(0);
	}
	if (process.argv.includes('--processes')) {
		// `npm run bench -- --processes`: only the several-processes figures (about 12 minutes).
		results.processes = await processesSection({ quick: Boolean(process.env.BENCH_QUICK) });
		fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
		fs.writeFileSync(path.join(ROOT, 'bench/processes.json'), `${JSON.stringify(results, null, 2)}\n`);
		console.log('\nWritten to bench/processes.json');
		process.exit(0);
	}

	console.log('Memory: one 20 MB upload ...');
	results.uploadMemory = await uploadMemory();
	if (process.argv.includes('--memory')) {
		// `npm run bench -- --memory`: only these figures, in seconds rather than minutes.
		printMemory(results.uploadMemory);
		process.exit(0);
	}
	console.log('Result shaping ...');
	results.shaping = shaping();

	console.log(`Batch: ${BATCH} one-page documents, ${SCALED_PAGES_PER_MINUTE} pages/min, ${PROCESSING_MS} ms processing ...`);
	const bound = (pagesPerMinute) => Math.max((BATCH / pagesPerMinute) * 60_000, PROCESSING_MS);
	results.batch = [];
	// The default, then half and twice as many items at once.
	for (const concurrency of [undefined, 5, 20]) {
		const ours = await ourBatch({ pagesPerMinute: SCALED_PAGES_PER_MINUTE, concurrency });
		results.batch.push({ run: `ours, concurrency ${concurrency ?? `${DEFAULT_CONCURRENCY} (default)`}`, pagesPerMinute: SCALED_PAGES_PER_MINUTE, ...ours, boundMs: bound(SCALED_PAGES_PER_MINUTE) });
	}
	console.log(`Batch at the real limit (${REAL_PAGES_PER_MINUTE} pages/min): the limit binds ...`);
	const limited = await ourBatch({ pagesPerMinute: REAL_PAGES_PER_MINUTE });
	// A sliding minute lets the first 75 pages go at once: the earliest the last page may leave
	// is after floor(99 / 75) minutes, and its processing follows.
	const windowBound = Math.floor((BATCH - 1) / REAL_PAGES_PER_MINUTE) * 60_000 + PROCESSING_MS;
	results.batch.push({ run: 'ours, default, real limit', pagesPerMinute: REAL_PAGES_PER_MINUTE, ...limited, boundMs: bound(REAL_PAGES_PER_MINUTE), slidingWindowBoundMs: windowBound });
	// Five pages: Nanonets (and the sandbox) process them asynchronously, so the node polls.
	// Once with the short delays above (the first documents wait the 1 s Poll Interval before
	// the node has learned the workflow's processing time), once with 2.5 s.
	results.polling = [];
	for (const delays of [sandboxDelays, { processingMs: 500, perPageMs: 400 }]) {
		console.log(`Wait: ${BATCH} five-page documents, ${delays.processingMs + 5 * delays.perPageMs} ms processing each ...`);
		results.polling.push((await ourBatch({ pagesPerMinute: 0, items: invoices(BATCH, 5), delays })).waits);
	}
	console.log('Baseline: one request and its polling at a time ...');
	results.baseline = await baselineBatch({ pagesPerMinute: SCALED_PAGES_PER_MINUTE });
	results.extraction = await extractionBench.runExtractionBench();

	const baselineMs = results.baseline.wallMs;
	const rows = [['run', 'pages/min', 'wall s', 'vs baseline', 'rate bound s', 'of bound', '429s seen', 'errors']];
	rows.push(['baseline (HTTP Request loop)', SCALED_PAGES_PER_MINUTE, seconds(baselineMs), '1.0x', seconds(bound(SCALED_PAGES_PER_MINUTE)), round(bound(SCALED_PAGES_PER_MINUTE) / baselineMs), results.baseline.rateLimited429, results.baseline.errors]);
	for (const run of results.batch) {
		run.speedup = round(baselineMs / run.wallMs, 1);
		run.ofBound = round(run.boundMs / run.wallMs);
		if (run.slidingWindowBoundMs) run.ofSlidingWindowBound = round(run.slidingWindowBoundMs / run.wallMs);
		rows.push([run.run, run.pagesPerMinute, seconds(run.wallMs), `${run.speedup}x`, seconds(run.boundMs), run.ofBound, run.rateLimited429, run.errors]);
	}
	console.log(`\nBatch of ${BATCH} one-page documents (upload + wait), sandbox processing ${PROCESSING_MS} ms each`);
	console.log(table(rows));
	const last = results.batch.at(-1);
	console.log(`(at ${REAL_PAGES_PER_MINUTE} pages/min a sliding minute lets the first ${REAL_PAGES_PER_MINUTE} pages go at once: ${seconds(last.slidingWindowBoundMs)} s at best; achieved ${last.ofSlidingWindowBound} of that)`);

	console.log('\nWait overhead (upload to result, against the sandbox processing delay)');
	const waitRows = [['documents', 'polled', 'processing s', 'upload->result s', 'overhead']];
	const oneBatch = results.batch[0].waits;
	results.syncWaits = oneBatch;
	waitRows.push([`${oneBatch.documents} one-page (async, polled)`, oneBatch.polled, seconds(oneBatch.processingMs), seconds(oneBatch.uploadToResultMs), `${round(oneBatch.overhead * 100, 1)}%`]);
	for (const polled of results.polling) {
		const each = round(polled.processingMs / polled.documents / 1000);
		waitRows.push([`${polled.documents} five-page, ${each} s (async)`, polled.polled, seconds(polled.processingMs), seconds(polled.uploadToResultMs), `${round(polled.overhead * 100, 1)}%`]);
	}
	console.log(table(waitRows));

	extractionBench.printExtractionBench(results.extraction);

	printMemory(results.uploadMemory);

	console.log('\nSeveral processes on one account ...');
	results.processes = await processesSection({ quick: Boolean(process.env.BENCH_QUICK) });

	console.log('\nShaping one answer into items (all four formats; 20 fields + 30-row table per page)');
	console.log(table([['pages', 'ms', 'us/page'], ...results.shaping.map((s) => [s.pages, s.ms, s.usPerPage])]));

	fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
	fs.writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
	console.log('\nWritten to bench/results.json');
	// Kept-alive connections and n8n-core's timers would hold the process open.
	process.exit(0);
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
