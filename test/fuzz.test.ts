/**
 * Fuzzed answers: the sandbox answers with mutated bodies (missing keys, nulls, wrong types,
 * huge arrays, deep nesting, odd Unicode), many per engine run through many input items. The
 * node never crashes or hangs, and each item becomes well-formed output (a JSON object with
 * pairedItem) or a clear error. Seeded, so a failure can be replayed. Document (v4) and v2
 * answer shapes: documents, pages, lists; OCR predictions (result[], nested async results,
 * moderated/unmoderated buckets), model objects and lists, classification results, full text.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { makePdf, binaryItem } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const oddStrings = [
	'',
	' ',
	'\u0000',
	'\ud800', // a lone surrogate
	'\udfff\ud800',
	'🧾💶 Ünïcødé',
	'\u202eRTL override',
	'a'.repeat(100_000),
	'__proto__',
	'constructor',
	'toString',
	'<script>alert(1)</script>',
	'{"looks": "like JSON"',
	'NaN',
	'-0',
	'1e309',
];
const oddKeys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', '', ' ', '\u0000', '\ud800', '💥', 'document_id', 'row', 'a.b'];

function pick<T>(rng: () => number, list: T[]): T {
	return list[Math.floor(rng() * list.length)];
}

function randomScalar(rng: () => number): Json {
	switch (Math.floor(rng() * 7)) {
		case 0:
			return null;
		case 1:
			return rng() < 0.5;
		case 2:
			return pick(rng, [0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 3]);
		case 3:
			return pick(rng, oddStrings);
		case 4:
			return [];
		case 5:
			return {};
		default:
			return String(Math.floor(rng() * 1000));
	}
}

function deepNest(depth: number, rng: () => number): Json {
	let value: Json = randomScalar(rng);
	for (let i = 0; i < depth; i++) value = rng() < 0.5 ? [value] : { [pick(rng, oddKeys)]: value };
	return value;
}

function hugeArray(rng: () => number): Json[] {
	const length = 1000 + Math.floor(rng() * 4000);
	const element = rng() < 0.5 ? randomScalar(rng) : { value: pick(rng, oddStrings).slice(0, 20), row: Math.floor(rng() * 5) };
	return Array.from({ length }, () => element);
}

function randomValue(rng: () => number): Json {
	const roll = rng();
	if (roll < 0.1) return hugeArray(rng);
	if (roll < 0.2) return deepNest(10 + Math.floor(rng() * 500), rng);
	return randomScalar(rng);
}

/** Every path into a JSON value, so a mutation can hit any depth. */
function paths(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = [], budget = { left: 2000 }) {
	if (budget.left-- <= 0) return out;
	out.push(prefix);
	if (Array.isArray(value)) value.slice(0, 20).forEach((child, i) => paths(child, [...prefix, i], out, budget));
	else if (value && typeof value === 'object') for (const key of Object.keys(value)) paths(value[key], [...prefix, key], out, budget);
	return out;
}

function mutate(original: Json, rng: () => number): Json {
	if (rng() < 0.05) return randomValue(rng); // the whole answer replaced
	let body = JSON.parse(JSON.stringify(original)) as Json;
	const count = 1 + Math.floor(rng() * 3);
	for (let m = 0; m < count; m++) {
		const all = paths(body);
		const path = pick(rng, all);
		if (path.length === 0) {
			if (body && typeof body === 'object' && !Array.isArray(body)) body[pick(rng, oddKeys)] = randomValue(rng);
			continue;
		}
		const parentPath = path.slice(0, -1);
		const key = path[path.length - 1];
		let parent = body as Record<string | number, Json>;
		for (const step of parentPath) parent = parent[step] as Record<string | number, Json>;
		const kind = Math.floor(rng() * 4);
		if (kind === 0 && !Array.isArray(parent)) delete parent[key];
		else if (kind === 1) parent[key] = null;
		else if (kind === 2 && !Array.isArray(parent)) {
			// An odd key next to the real one; defineProperty so "__proto__" stays an own key.
			Object.defineProperty(parent, pick(rng, oddKeys), { value: randomValue(rng), enumerable: true, writable: true, configurable: true });
		} else parent[key] = randomValue(rng);
	}
	return body;
}

/** Messages that say what went wrong in Nanonets' answer, as opposed to a crash inside the node. */
const clearError =
	/^(Unexpected response from Nanonets|Nanonets could not process (document|any of the inputs)|Not found|The prediction with request_file_id \S+ was not finished within)/;
const crash = /Cannot read|Cannot use 'in'|is not a function|is not iterable|undefined|Maximum call stack|Invalid array length|\[object Object\]/;

let sandbox: Sandbox;
let documentId: string;
let pageId: string;
let requestFileId: string;
let predictedPageId: string;
let served = 0;

beforeAll(async () => {
	sandbox = await openSandbox({ processingMs: 0, perPageMs: 0, pagesPerMinute: 0 });
	const result = await runNode({
		parameters: { resource: 'document', operation: 'upload', workflowId: 'wf-invoices' },
		items: [binaryItem(makePdf({ pages: 2 }), 'invoice.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [document] = jsonOf(result);
	documentId = String(document.document_id);
	pageId = String((document.pages as IDataObject[])[0].page_id);
	const predicted = await runNode({
		parameters: { resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', options: { pollInterval: 0.1 } },
		items: [binaryItem(makePdf({ pages: 2, spec: { fields: { invoice_number: 'F-1' }, rows: [['Tea', '1', '2.00', '2.00']] } }), 'predicted.pdf')],
		credentials: credentialsFor(sandbox),
	});
	const [file] = jsonOf(predicted);
	requestFileId = String(file.request_file_id);
	predictedPageId = String((file.pages as IDataObject[])[0].id);
});
afterAll(async () => {
	await sandbox.close();
	// eslint-disable-next-line no-console
	console.log(`fuzz: ${served} mutated answers served (seed ${SEED})`);
});

interface FuzzCase {
	name: string;
	/** The method whose answers are mutated; undefined: every answer (an upload and its polls). */
	method?: string;
	parameters: () => INodeParameters;
	items: number;
}

const formats = ['document', 'simplified', 'fields', 'tableRows'];
const fuzzCases: FuzzCase[] = [
	...formats.map((outputFormat) => ({
		name: `get, ${outputFormat}`,
		method: 'GET',
		parameters: () => ({ resource: 'document', operation: 'get', workflowId: 'wf-invoices', documentId, outputFormat }),
		items: 100,
	})),
	...['document', 'fields', 'tableRows'].map((outputFormat) => ({
		name: `get page, ${outputFormat}`,
		method: 'GET',
		parameters: () => ({ resource: 'document', operation: 'getPage', workflowId: 'wf-invoices', documentId, pageId, outputFormat }),
		items: 40,
	})),
	{
		name: 'get many',
		method: 'GET',
		parameters: () => ({ resource: 'document', operation: 'getAll', workflowId: 'wf-invoices', limit: 5 }),
		items: 50,
	},
	{
		name: 'upload by URL, not waiting',
		method: 'POST',
		parameters: () => ({
			resource: 'document',
			operation: 'upload',
			workflowId: 'wf-invoices',
			inputType: 'url',
			documentUrl: 'https://files.example.com/invoice.pdf',
			waitForCompletion: false,
			options: { concurrency: 10 },
		}),
		items: 50,
	},
	{
		name: 'delete',
		method: 'DELETE',
		parameters: () => ({ resource: 'document', operation: 'delete', workflowId: 'wf-invoices', documentId: 'any' }),
		items: 30,
	},
	// v2
	{
		name: 'full text of URLs',
		method: 'POST',
		parameters: () => ({ resource: 'fullText', operation: 'extract', inputType: 'url', urls: 'https://a.example/1.png, https://a.example/2.pdf?pages=2', options: { concurrency: 10 } }),
		items: 50,
	},
	{
		name: 'image classification of URLs',
		method: 'POST',
		parameters: () => ({ resource: 'imageClassification', operation: 'predict', modelId: 'ic-animals', inputType: 'url', urls: 'https://a.example/1.jpg, https://a.example/2.jpg', options: { concurrency: 10 } }),
		items: 50,
	},
	{
		name: 'OCR prediction of URLs, not waiting',
		method: 'POST',
		parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://a.example/1.pdf, https://a.example/2.pdf?pages=2', waitForCompletion: false, options: { concurrency: 10 } }),
		items: 50,
	},
	{
		name: 'OCR prediction of a URL, waiting (the upload and every poll mutated)',
		parameters: () => ({ resource: 'ocrPrediction', operation: 'predict', modelId: 'ocr-invoices', inputType: 'url', urls: 'https://a.example/1.pdf', outputFormat: 'simplified', options: { concurrency: 10, pollInterval: 0.1, timeout: 1 } }),
		items: 30,
	},
	...formats.map((outputFormat) => ({
		name: `OCR prediction get by file, ${outputFormat}`,
		method: 'GET',
		parameters: () => ({ resource: 'ocrPrediction', operation: 'getByFile', modelId: 'ocr-invoices', requestFileId, outputFormat }),
		items: 30,
	})),
	...['document', 'fields'].map((outputFormat) => ({
		name: `OCR prediction get by page, ${outputFormat}`,
		method: 'GET',
		parameters: () => ({ resource: 'ocrPrediction', operation: 'getByPage', modelId: 'ocr-invoices', pageId: predictedPageId, outputFormat }),
		items: 30,
	})),
	{
		name: 'OCR prediction get many',
		method: 'GET',
		parameters: () => ({ resource: 'ocrPrediction', operation: 'getAll', modelId: 'ocr-invoices', limit: 20, outputFormat: 'tableRows' }),
		items: 40,
	},
	...(['ocrModel', 'imageModel'] as const).flatMap((resource) => {
		const modelId = resource === 'ocrModel' ? 'ocr-invoices' : 'ic-animals';
		return [
			{ name: `${resource} create`, method: 'POST', parameters: () => ({ resource, operation: 'create', categories: 'a, b' }), items: 25 },
			{ name: `${resource} get`, method: 'GET', parameters: () => ({ resource, operation: 'get', modelId }), items: 30 },
			{ name: `${resource} train`, method: 'POST', parameters: () => ({ resource, operation: 'train', modelId }), items: 20 },
			{
				name: `${resource} training URL upload`,
				method: 'POST',
				parameters: () => ({ resource, operation: 'uploadTrainingData', modelId, category: 'cat', inputType: 'url', urls: 'https://a.example/1.jpg, https://a.example/2.jpg' }),
				items: 25,
			},
		];
	}),
	{
		name: 'image model get many',
		method: 'GET',
		parameters: () => ({ resource: 'imageModel', operation: 'getAll', returnAll: true }),
		items: 40,
	},
];

test.each(fuzzCases.map((c, i) => ({ ...c, seed: SEED + i })))(
	'$name: $items mutated answers give well-formed items or clear errors',
	async ({ method, parameters, items, seed }) => {
		sandbox.reset();
		const rng = mulberry32(seed);
		let mutated = 0;
		sandbox.fault({
			method,
			times: items * 3,
			// Delete has no real document here: mutate a plausible answer instead of the 404.
			body: (original: Json) => {
				mutated++;
				return mutate(method === 'DELETE' ? { message: 'Document deleted successfully' } : original, rng);
			},
			...(method === 'DELETE' ? { status: 200 } : {}),
		});
		const result = await runNode({
			parameters: parameters(),
			items: Array.from({ length: items }, () => ({ json: {} })),
			continueOnFail: true,
			credentials: credentialsFor(sandbox),
		});
		served += mutated;

		expect(result.error).toBeUndefined();
		expect(mutated).toBeGreaterThanOrEqual(items);
		for (const item of result.items) {
			expect(item.json !== null && typeof item.json === 'object' && !Array.isArray(item.json)).toBe(true);
			const paired = (item.pairedItem as { item: number }).item;
			expect(Number.isInteger(paired) && paired >= 0 && paired < items).toBe(true);
			if (item.json.error !== undefined && Object.keys(item.json).every((key) => ['error', 'description', 'httpCode'].includes(key))) {
				expect(String(item.json.error)).toMatch(clearError);
				expect(String(item.json.error)).not.toMatch(crash);
			}
		}
		// Every input item is accounted for, in input order.
		const order = result.items.map((item) => (item.pairedItem as { item: number }).item);
		expect(order).toEqual([...order].sort((a, b) => a - b));
	},
	60_000,
);

test('the fuzz matrix covers at least 500 cases for documents and 500 for v2', () => {
	const total = (cases: FuzzCase[]) => cases.reduce((sum, c) => sum + c.items, 0);
	const isDocument = (c: FuzzCase) => c.parameters().resource === 'document';
	expect(total(fuzzCases.filter(isDocument))).toBeGreaterThanOrEqual(500);
	expect(total(fuzzCases.filter((c) => !isDocument(c)))).toBeGreaterThanOrEqual(500);
});
