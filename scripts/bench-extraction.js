'use strict';
// The extraction API's line of `npm run bench` (alone: `npm run bench -- --extraction`): 100
// one-page documents through Extraction > Extract at the pay-as-you-go limit (300 pages a
// minute, which the sandbox enforces with 429s), against a one-at-a-time loop of sync requests
// as a user would build from HTTP Request nodes, measured in the same run. It prints figures
// and asserts nothing.
require('./lib/require-ts');

const { performance } = require('node:perf_hooks');

const { runNode, jsonOf } = require('../test/engine/harness');
const { openSandbox, credentialsFor } = require('../test/engine/sandbox');
const { makePdf, binaryItem } = require('../test/fixtures/files');

/** BENCH_QUICK=1: a fifth of the documents, to try the script out. */
const DOCUMENTS = process.env.BENCH_QUICK ? 20 : 100;
const PAGES_PER_MINUTE = 300;
/**
 * Sandbox time to extract one page, sync or queued. The sandbox works on queued files side by
 * side (each is ready this long after it was accepted), as a service with many workers would.
 */
const PROCESSING_MS = 1000;

const seconds = (ms) => Math.round(ms) / 1000;
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function documents() {
	return Array.from({ length: DOCUMENTS }, (_, i) =>
		binaryItem(makePdf({ spec: { fields: { invoice_number: `INV-${i}` }, rows: [['Paper', '1', '10.00', '10.00']] } }), `invoice-${i}.pdf`, 'application/pdf', { index: i }),
	);
}

const parameters = (options = {}) => ({ resource: 'extraction', operation: 'extract', inputType: 'binary', outputFormats: ['markdown', 'json'], options });

async function withSandbox(run) {
	const sandbox = await openSandbox({ extractionPagesPerMinute: PAGES_PER_MINUTE, extractionProcessingMs: PROCESSING_MS, extractionSyncMs: PROCESSING_MS });
	try {
		return await run(sandbox);
	} finally {
		await sandbox.close();
	}
}

/** Checks every item is its own document's result, in order. */
function correct(items) {
	return items.filter((item, i) => item.status === 'completed' && item.filename === `invoice-${i}.pdf` && item.json?.invoice_number === `INV-${i}`).length;
}

async function ours(options, label) {
	return await withSandbox(async (sandbox) => {
		const started = performance.now();
		const result = await runNode({ parameters: parameters(options), items: documents(), credentials: credentialsFor(sandbox, PAGES_PER_MINUTE), typeVersion: 2 });
		const wallMs = performance.now() - started;
		const stats = sandbox.state.extractionStats;
		return {
			run: label,
			wallMs,
			correct: correct(jsonOf(result)),
			errors: (result.error ? 1 : 0) + jsonOf(result).filter((item) => item.error).length,
			requests: sandbox.state.requests.length,
			rateLimited429: stats.rateLimited,
		};
	});
}

/** The baseline: one document at a time, a sync request each, its answer before the next. */
async function baseline() {
	return await withSandbox(async (sandbox) => {
		const credentials = credentialsFor(sandbox, PAGES_PER_MINUTE);
		const results = [];
		const started = performance.now();
		for (const item of documents()) {
			const result = await runNode({ parameters: parameters({ useBatch: false, concurrency: 1 }), items: [item], credentials, typeVersion: 2 });
			results.push(jsonOf(result)[0] ?? { error: result.error?.message });
		}
		const wallMs = performance.now() - started;
		return {
			run: 'baseline: one sync request at a time (HTTP Request loop)',
			wallMs,
			correct: correct(results),
			errors: results.filter((item) => item.error).length,
			requests: sandbox.state.requests.length,
			rateLimited429: sandbox.state.extractionStats.rateLimited,
		};
	});
}

async function runExtractionBench() {
	console.log(`Extraction API: ${DOCUMENTS} one-page documents, ${PAGES_PER_MINUTE} pages/min, ${PROCESSING_MS} ms per page ...`);
	const runs = [await ours({}, 'ours: Extract, defaults (batches of up to 50)'), await ours({ useBatch: false }, 'ours: Extract, Use Batch Requests off (concurrency 10)'), await baseline()];
	const baselineMs = runs.at(-1).wallMs;
	for (const run of runs) run.speedup = round(baselineMs / run.wallMs);
	return { documents: DOCUMENTS, pagesPerMinute: PAGES_PER_MINUTE, processingMs: PROCESSING_MS, runs };
}

function table(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
	return rows.map((row) => row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')).join('\n');
}

function printExtractionBench(results) {
	console.log(`\nExtraction API: ${results.documents} one-page documents through Extract at ${results.pagesPerMinute} pages/min, sandbox ${results.processingMs} ms per page`);
	const rows = [['run', 'wall s', 'vs baseline', 'correct', 'errors', 'requests', '429s seen']];
	for (const run of results.runs) rows.push([run.run, seconds(run.wallMs), `${run.speedup}x`, `${run.correct}/${results.documents}`, run.errors, run.requests, run.rateLimited429]);
	console.log(table(rows));
}

module.exports = { runExtractionBench, printExtractionBench };
