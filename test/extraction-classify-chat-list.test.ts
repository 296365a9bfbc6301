import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** Document Classification > Classify, Chat > Complete, Extraction > Get Many, against the sandbox. */

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await openSandbox({ extractionProcessingMs: 50, extractionSyncMs: 2 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const node = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items'], continueOnFail = false) =>
	runNode({ parameters, items, credentials: credentialsFor(sandbox), typeVersion: 2, continueOnFail });

const categories = { category: [{ name: 'Invoice', description: 'A bill to pay' }, { name: 'Receipt' }] };

describe('Document Classification > Classify', () => {
	test('per-page categories and the category of most pages', async () => {
		const file = makePdf({ pages: 3, spec: { categories: ['Receipt', 'Invoice', 'Invoice'] } });
		const result = await node({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories }, [binaryItem(file, 'scan.pdf')]);
		expect(result.error).toBeUndefined();
		const [item] = jsonOf(result);
		expect(item).toMatchObject({ filename: 'scan.pdf', total_pages: 3, category: 'Invoice' });
		expect(item.pages).toEqual([
			{ page_number: 1, category: 'Receipt', identified_category: 'Receipt_Generic', confidence: 92, reasoning: expect.any(String) },
			{ page_number: 2, category: 'Invoice', identified_category: 'Invoice_Generic', confidence: 92, reasoning: expect.any(String) },
			{ page_number: 3, category: 'Invoice', identified_category: 'Invoice_Generic', confidence: 92, reasoning: expect.any(String) },
		]);
		// Categories go as Nanonets documents them: a JSON list of { name, description? }.
		const [request] = sandbox.requestsTo('/classify/sync', 'POST');
		expect(JSON.parse(request.fields?.categories?.[0] ?? '')).toEqual([{ name: 'Invoice', description: 'A bill to pay' }, { name: 'Receipt' }]);
	});

	test('one item per input, in order; a page that fits nothing is "Other"', async () => {
		const result = await node({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories }, [
			binaryItem(makePng(), 'receipt-photo.png', 'image/png'),
			binaryItem(makePdf(), 'letter.pdf'),
		]);
		expect(jsonOf(result).map((item) => [item.filename, item.category])).toEqual([
			['receipt-photo.png', 'Receipt'],
			['letter.pdf', 'Other'],
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('a URL is sent as file_url', async () => {
		const result = await node({ resource: 'documentClassification', operation: 'classify', inputType: 'url', documentUrl: 'https://example.com/invoice-7.pdf', categories });
		expect(jsonOf(result)[0]).toMatchObject({ filename: 'invoice-7.pdf', category: 'Invoice' });
		expect(sandbox.requestsTo('/classify/sync')[0].fields?.file_url).toEqual(['https://example.com/invoice-7.pdf']);
	});

	test.each([
		['no categories', { category: [] }, /"Categories" parameter is empty/],
		['a category without a name', { category: [{ name: '', description: 'something' }] }, /Category 1 has a description but no name/],
		['51 categories', { category: Array.from({ length: 51 }, (_, i) => ({ name: `C${i}` })) }, /51 categories; Nanonets accepts at most 50/],
	])('refused before sending: %s', async (_name, value, message) => {
		const result = await node({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories: value }, [binaryItem(makePdf(), 'a.pdf')]);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	test('a 422 from Nanonets reads as the field and its message', async () => {
		sandbox.fault({ path: '/classify/sync', status: 422, body: { detail: [{ loc: ['body', 'categories'], msg: 'at least one category is required', type: 'value_error' }] } });
		const result = await node({ resource: 'documentClassification', operation: 'classify', inputType: 'binary', categories }, [binaryItem(makePdf(), 'a.pdf')]);
		expect(result.error?.message).toBe('Nanonets could not accept the request\'s fields: categories: at least one category is required');
	});
});

describe('Chat > Complete', () => {
	test('a question about a PDF: the answer, the model and the usage', async () => {
		const result = await node({ resource: 'chat', operation: 'complete', prompt: 'What is the total?', inputType: 'binary' }, [binaryItem(makePdf(), 'invoice.pdf')]);
		expect(result.error).toBeUndefined();
		const [item] = jsonOf(result);
		expect(item.answer).toMatch(/^Answer to "What is the total\?" from 1 file\(s\) \[file_url:data:application\/pdf;base64,/);
		expect(item.model).toBe('nanonets/Nanonets-OCR-s');
		expect(item.usage).toMatchObject({ total_tokens: expect.any(Number) });
	});

	test('an image goes as image_url, a URL as it is; another model and Max Tokens are sent', async () => {
		const image = await node({ resource: 'chat', operation: 'complete', prompt: 'Describe', inputType: 'binary' }, [binaryItem(makePng(), 'p.png', 'image/png')]);
		expect(jsonOf(image)[0].answer).toMatch(/\[image_url:data:image\/png;base64,/);
		const url = await node({
			resource: 'chat',
			operation: 'complete',
			prompt: 'Summarise',
			inputType: 'url',
			documentUrl: 'https://example.com/contract.pdf',
			model: 'nanonets/Nanonets-OCR2-3B',
			options: { maxTokens: 200 },
		});
		expect(jsonOf(url)[0]).toMatchObject({ model: 'nanonets/Nanonets-OCR2-3B', answer: expect.stringContaining('Summarise') });
		const last = (sandbox.state as unknown as { lastChat: Record<string, unknown> }).lastChat;
		expect(last).toEqual({
			model: 'nanonets/Nanonets-OCR2-3B',
			max_tokens: 200,
			stream: false,
			messages: [{ role: 'user', content: [{ type: 'file_url', file_url: { url: 'https://example.com/contract.pdf' } }, { type: 'text', text: 'Summarise' }] }],
		});
	});

	test('an empty prompt is refused before sending; a 400 from Nanonets is a clear error under Continue On Fail', async () => {
		const empty = await node({ resource: 'chat', operation: 'complete', prompt: '  ', inputType: 'url', documentUrl: 'https://example.com/a.pdf' });
		expect(empty.error?.message).toMatch(/"Prompt" parameter is empty \(item 1\)/);
		expect(sandbox.state.requests).toHaveLength(0);
		const unknown = await node(
			{ resource: 'chat', operation: 'complete', prompt: 'Hi', inputType: 'url', documentUrl: 'https://example.com/a.pdf', model: 'gpt-x' },
			undefined,
			true,
		);
		expect(jsonOf(unknown)[0].error).toBe('Nanonets rejected the request: Unknown model gpt-x');
	});
});

describe('Extraction > Get Many', () => {
	async function seed(count: number) {
		const items = Array.from({ length: count }, (_, n) => binaryItem(makePdf({ spec: { fields: { n: String(n) } } }), `doc-${n}.pdf`));
		await node({ resource: 'extraction', operation: 'extract', inputType: 'binary', options: { useBatch: false } }, items);
		sandbox.reset();
	}

	test('Limit: newest first, as many as asked', async () => {
		await seed(5);
		const result = await node({ resource: 'extraction', operation: 'getAll', returnAll: false, limit: 3 });
		expect(jsonOf(result)).toHaveLength(3);
		expect(jsonOf(result)[0]).toMatchObject({ status: 'completed', record_id: expect.any(String) });
		expect(sandbox.requestsTo('/extract/results', 'GET')[0].query).toMatchObject({ page: '1', page_size: '3', sort_by: 'created_at', sort_order: 'desc' });
	});

	test('Return All walks every page', async () => {
		await seed(60);
		const result = await node({ resource: 'extraction', operation: 'getAll', returnAll: true });
		const ids = jsonOf(result).map((item) => item.record_id);
		// Every record the account has (60 here, plus earlier tests'), each once.
		const total = (sandbox.state as unknown as { extractionRecords: Map<string, unknown> }).extractionRecords.size;
		expect(total).toBeGreaterThanOrEqual(60);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		const pages = sandbox.requestsTo('/extract/results', 'GET').map((r) => r.query.page);
		expect(pages).toEqual(Array.from({ length: Math.ceil(total / 50) }, (_, i) => String(i + 1)));
	});
});
