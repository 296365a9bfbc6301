'use strict';
// Nanonets' extraction API (extraction-api.nanonets.com), imitated for tests, the demo and the
// benchmark, under the path prefix /extraction-api of the one sandbox. It answers as Nanonets'
// extraction API documents say: Bearer key, multipart v1 forms, `{ detail }` errors (a list of
// `{ loc, msg, type }` for 422), 202 for queued work, records that go processing -> completed.
const { randomUUID } = require('node:crypto');

const { parseMultipart } = require('./multipart');
const { readSpec, extractionFor, TABLE_HEADERS } = require('./extraction');

const PREFIX = '/extraction-api';
const FORMATS = ['markdown', 'html', 'json', 'csv'];
const MAX_SYNC_PAGES = 5;
const MAX_BATCH_FILES = 50;

function pageCount(data) {
	const text = data.toString('latin1');
	if (!text.startsWith('%PDF')) return 1;
	return Math.max(1, (text.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length);
}

function detail(status, text, headers) {
	return { status, body: { detail: text }, headers };
}

function validation(loc, msg, type = 'value_error') {
	return { status: 422, body: { detail: [{ loc: ['body', loc], msg, type }] } };
}

/** What the sandbox "reads" in a file: the fields and rows its spec or its hash give. */
function readDocument(data, pages) {
	const spec = readSpec(data);
	const extracted = extractionFor(data, pages, spec);
	const fields = Object.assign({}, ...extracted.map((page) => page.fields));
	const rows = extracted.flatMap((page) => page.rows);
	return { spec, fields, rows };
}

function contentFor(format, document, filename, jsonOptions, metadata) {
	const { fields, rows } = document;
	let content;
	if (format === 'markdown') {
		content = `# ${filename}\n\n${Object.entries(fields).map(([name, value]) => `**${name}**: ${value}`).join('\n')}\n\n| ${TABLE_HEADERS.join(' | ')} |\n|${TABLE_HEADERS.map(() => '---').join('|')}|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`;
	} else if (format === 'html') {
		content = `<h1>${filename}</h1><dl>${Object.entries(fields).map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl><table><tr>${TABLE_HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</table>`;
	} else if (format === 'csv') {
		content = [TABLE_HEADERS.join(','), ...rows.map((row) => row.join(','))].join('\n');
	} else {
		let wanted = Object.keys(fields);
		if (Array.isArray(jsonOptions)) wanted = jsonOptions;
		else if (jsonOptions && typeof jsonOptions === 'object') wanted = Object.keys(jsonOptions.properties ?? {});
		const values = Object.fromEntries(wanted.map((name) => [name, fields[name] ?? null]));
		// Nanonets' json content is an object; the spec may ask for it as text (a published variant).
		content = document.spec.jsonAsText ? JSON.stringify(values) : values;
	}
	const entry = { content };
	if (metadata.length) {
		entry.metadata = {};
		if (metadata.includes('bounding_boxes')) entry.metadata.bounding_boxes = { elements: [{ content: filename, bounding_box: { page: 1, x: 10, y: 10, width: 100, height: 20 } }] };
		if (metadata.includes('confidence_score')) entry.metadata.confidence_score = Object.fromEntries(Object.keys(fields).map((name) => [name, 95]));
	}
	return entry;
}

function extractionRoutes(state) {
	const config = state.config;
	const records = (state.extractionRecords = new Map());
	const stats = (state.extractionStats = { sync: 0, async: 0, batch: 0, batchFiles: 0, rateLimited: 0, maxConcurrentSync: 0, chat: 0, classify: 0 });
	const sent = [];
	let syncInFlight = 0;

	/** 429 with Retry-After when the key's pages in the last minute would pass the limit. */
	function rateLimited(pages) {
		const limit = config.extractionPagesPerMinute ?? 0;
		if (!limit) return undefined;
		const now = Date.now();
		while (sent.length && sent[0].at <= now - 60_000) sent.shift();
		const used = sent.reduce((sum, entry) => sum + entry.pages, 0);
		if (used + pages > limit) {
			stats.rateLimited += 1;
			const retryAfter = Math.max(1, Math.ceil((sent[0].at + 60_000 - now) / 1000));
			return detail(429, `Rate limit exceeded: ${limit} pages per minute`, { 'Retry-After': String(retryAfter) });
		}
		sent.push({ at: now, pages });
		return undefined;
	}

	/** Checks the form fields every extract endpoint shares; returns an error answer or the settings. */
	function readOptions(form) {
		const field = (name) => form.fields[name]?.[0];
		const outputFormat = field('output_format');
		if (!outputFormat) return { error: validation('output_format', 'field required', 'value_error.missing') };
		const formats = outputFormat.split(',').map((f) => f.trim());
		const unknown = formats.filter((f) => !FORMATS.includes(f));
		if (unknown.length) return { error: validation('output_format', `unsupported output format: ${unknown.join(', ')}`) };
		let jsonOptions;
		const rawJson = field('json_options');
		if (rawJson) {
			try {
				jsonOptions = JSON.parse(rawJson);
			} catch {
				jsonOptions = rawJson; // hierarchy_output, table-of-contents
			}
		}
		const instructions = field('custom_instructions');
		if (instructions && instructions.length > 8000) return { error: validation('custom_instructions', 'ensure this value has at most 8000 characters') };
		const promptMode = field('prompt_mode');
		if (promptMode && !['append', 'replace'].includes(promptMode)) return { error: validation('prompt_mode', "value is not a valid enumeration member; permitted: 'append', 'replace'") };
		const metadata = (field('include_metadata') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
		return { formats, jsonOptions, metadata, fields: form.fields };
	}

	/**
	 * The file of a single-file request: an upload, or a URL the sandbox "downloads". Classification
	 * takes `file_url` too here: Nanonets documents only `file` for it (UNCONFIRMED either way).
	 */
	function readFile(form) {
		const upload = form.files.file?.[0];
		if (upload) return { filename: upload.filename, data: upload.data };
		const url = form.fields.file_url?.[0];
		if (url) {
			if (/bad\.example|\/missing/.test(url)) return { error: detail(400, `Could not download the file from ${url}: 404 Not Found`) };
			const filename = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'document');
			// A URL's "pages": ...-<n>pages.pdf, else one.
			const pages = Number(/-(\d+)pages?\b/.exec(url)?.[1] ?? 1);
			return { filename, data: Buffer.from(`url:${url}`), pages };
		}
		if (form.fields.file_base64?.[0]) return { filename: 'document', data: Buffer.from(form.fields.file_base64[0], 'base64') };
		return { error: detail(400, 'Provide one of file, file_url or file_base64') };
	}

	function createRecord(file, options, { delayMs, queued }) {
		const pages = file.pages ?? pageCount(file.data);
		const document = readDocument(file.data, pages);
		const id = randomUUID();
		const record = {
			id,
			filename: file.filename,
			size: file.data.length,
			pages,
			document,
			options,
			createdAt: new Date(Date.now() + records.size).toISOString(),
			readyAt: Date.now() + (queued ? (document.spec.delayMs ?? delayMs) : 0),
			never: document.spec.never === true,
			failed: document.spec.outcome === 'failure' || /corrupt/i.test(file.filename),
			checks: 0,
		};
		records.set(id, record);
		return record;
	}

	function view(record, includeContent = true) {
		const done = !record.never && Date.now() >= record.readyAt;
		const status = !done ? 'processing' : record.failed ? 'failed' : 'completed';
		const answer = {
			success: status !== 'failed',
			message: status === 'failed' ? 'Extraction failed: the file could not be read' : status === 'processing' ? 'Processing' : 'Extraction completed',
			record_id: record.id,
			status,
			filename: record.filename,
			output_format: record.options.formats.join(','),
			file_size: record.size,
			pages_processed: status === 'completed' ? record.pages : 0,
			processing_time: status === 'completed' ? 0.42 : null,
			created_at: record.createdAt,
		};
		if (status === 'completed' && includeContent) {
			answer.result = Object.fromEntries(
				record.options.formats.map((format) => [format, contentFor(format, record.document, record.filename, record.options.jsonOptions, record.options.metadata)]),
			);
		}
		return answer;
	}

	const processingMs = () => config.extractionProcessingMs ?? 200;
	const syncMs = (pages) => (config.extractionSyncMs ?? 50) * pages;

	async function extractSync(form) {
		const options = readOptions(form);
		if (options.error) return options.error;
		const file = readFile(form);
		if (file.error) return file.error;
		const pages = file.pages ?? pageCount(file.data);
		if (pages > MAX_SYNC_PAGES) {
			return detail(400, `Document has ${pages} pages, which exceeds the maximum limit of ${MAX_SYNC_PAGES} pages for synchronous extraction. Use the async endpoint.`);
		}
		const limited = rateLimited(pages);
		if (limited) return limited;
		stats.sync += 1;
		syncInFlight += 1;
		stats.maxConcurrentSync = Math.max(stats.maxConcurrentSync, syncInFlight);
		await new Promise((resolve) => setTimeout(resolve, syncMs(pages)));
		syncInFlight -= 1;
		const record = createRecord({ ...file, pages }, options, { queued: false });
		return { status: 200, body: view(record) };
	}

	function extractAsync(form) {
		const options = readOptions(form);
		if (options.error) return options.error;
		const file = readFile(form);
		if (file.error) return file.error;
		const pages = file.pages ?? pageCount(file.data);
		const limited = rateLimited(pages);
		if (limited) return limited;
		stats.async += 1;
		const record = createRecord({ ...file, pages }, options, { queued: true, delayMs: processingMs() + 20 * pages });
		return { status: 202, body: { ...view(record), message: 'Queued for processing' } };
	}

	function extractBatch(form) {
		const options = readOptions(form);
		if (options.error) return options.error;
		const files = form.files.files ?? [];
		if (files.length === 0) return validation('files', 'field required', 'value_error.missing');
		if (files.length > MAX_BATCH_FILES) return detail(400, `A batch takes at most ${MAX_BATCH_FILES} files; got ${files.length}`);
		const pages = files.reduce((sum, file) => sum + pageCount(file.data), 0);
		const limited = rateLimited(pages);
		if (limited) return limited;
		stats.batch += 1;
		stats.batchFiles += files.length;
		const accepted = [];
		const rejected = [];
		for (const file of files) {
			if (/reject/i.test(file.filename)) rejected.push({ filename: file.filename, error: 'Unsupported or unreadable file' });
			else accepted.push(createRecord(file, options, { queued: true, delayMs: processingMs() }));
		}
		return {
			status: 202,
			body: {
				success: true,
				message: `${accepted.length} files queued`,
				batch_id: randomUUID(),
				total_files: files.length,
				accepted_files: accepted.length,
				// Nanonets' SDK types this as a count; `extractionRejectedAsList` answers the list variant.
				rejected_files: config.extractionRejectedAsList ? rejected : rejected.length,
				records: accepted.map((record) => view(record)),
			},
		};
	}

	function getResult(id, query) {
		const record = records.get(id);
		if (!record) return detail(404, `Record ${id} not found`);
		record.checks += 1;
		return { status: 200, body: view(record, query.include_content !== 'false') };
	}

	function listResults(query) {
		const page = Math.max(1, Number(query.page ?? 1));
		const pageSize = Math.max(1, Math.min(100, Number(query.page_size ?? 10)));
		const all = [...records.values()].sort((a, b) => (query.sort_order === 'asc' ? 1 : -1) * a.createdAt.localeCompare(b.createdAt));
		const slice = all.slice((page - 1) * pageSize, page * pageSize);
		const totalPages = Math.ceil(all.length / pageSize);
		return {
			status: 200,
			body: {
				success: true,
				results: slice.map((record) => view(record, false)),
				pagination: { page, page_size: pageSize, total_count: all.length, total_pages: totalPages, has_next: page < totalPages, has_previous: page > 1 },
			},
		};
	}

	function classify(form) {
		let categories;
		try {
			categories = JSON.parse(form.fields.categories?.[0] ?? '');
		} catch {
			return validation('categories', 'categories must be a JSON list of { name, description }');
		}
		if (!Array.isArray(categories) || categories.length === 0) return validation('categories', 'at least one category is required');
		if (categories.length > 50) return detail(400, 'At most 50 categories');
		const file = readFile(form);
		if (file.error) return file.error;
		const pages = file.pages ?? pageCount(file.data);
		const limited = rateLimited(pages);
		if (limited) return limited;
		stats.classify += 1;
		const spec = readSpec(file.data);
		const names = categories.map((category) => category.name);
		const result = {
			filename: file.filename,
			total_pages: pages,
			pages: Array.from({ length: pages }, (_, index) => {
				// A spec may name each page's category; otherwise the first category named in the file name.
				const wanted = spec.categories?.[index] ?? names.find((name) => file.filename.toLowerCase().includes(String(name).toLowerCase()));
				const category = names.includes(wanted) ? wanted : 'Other';
				return {
					page_number: index + 1,
					category,
					confidence: category === 'Other' ? 40 : 92,
					reasoning: category === 'Other' ? 'No category fits this page' : `The page looks like a ${category}`,
					identified_category: category === 'Other' ? 'Letter_General' : `${category}_Generic`,
				};
			}),
			processing_time: 0.3,
		};
		return { status: 200, body: { success: true, message: 'Classification completed', result } };
	}

	function chat(body) {
		if (!body || typeof body !== 'object') return validation('messages', 'field required', 'value_error.missing');
		if (!Array.isArray(body.messages) || body.messages.length === 0) return validation('messages', 'field required', 'value_error.missing');
		if (body.model && !/nanonets/i.test(body.model)) return detail(400, `Unknown model ${body.model}`);
		const parts = body.messages.flatMap((message) => (Array.isArray(message.content) ? message.content : [{ type: 'text', text: String(message.content) }]));
		const text = parts.filter((part) => part.type === 'text').map((part) => part.text).join(' ');
		const files = parts.filter((part) => part.type === 'image_url' || part.type === 'file_url');
		const limited = rateLimited(Math.max(1, files.length));
		if (limited) return limited;
		stats.chat += 1;
		state.lastChat = body;
		const kinds = files.map((part) => `${part.type}:${String((part.image_url ?? part.file_url).url).slice(0, 30)}`);
		return {
			status: 200,
			body: {
				id: `chatcmpl-${randomUUID()}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: body.model ?? 'nanonets/Nanonets-OCR-s',
				choices: [{ index: 0, message: { role: 'assistant', content: `Answer to "${text}" from ${files.length} file(s) [${kinds.join(', ')}]` }, finish_reason: 'stop' }],
				usage: { prompt_tokens: 100 + text.length, completion_tokens: 20, total_tokens: 120 + text.length },
			},
		};
	}

	/** Answers one request under the prefix: `{ status, body, headers }`. */
	async function handle({ method, path, query, headers, buffer, entry }) {
		const auth = headers.authorization ?? '';
		if (auth !== `Bearer ${config.extractionKey}`) return detail(401, 'Invalid or missing API key');
		let form = { fields: {}, files: {} };
		let body;
		const contentType = headers['content-type'] ?? '';
		try {
			if (contentType.startsWith('multipart/form-data')) form = parseMultipart(buffer, contentType);
			else if (buffer.length && contentType.includes('json')) body = JSON.parse(buffer.toString('utf8'));
		} catch (error) {
			return detail(400, `Malformed request body: ${error.message}`);
		}
		if (entry) {
			entry.fields = form.fields;
			entry.files = Object.values(form.files).flat().map((file) => file.filename);
		}
		if (method === 'POST' && path === '/api/v1/extract/sync') return await extractSync(form);
		if (method === 'POST' && path === '/api/v1/extract/async') return extractAsync(form);
		if (method === 'POST' && path === '/api/v1/extract/batch') return extractBatch(form);
		if (method === 'GET' && path === '/api/v1/extract/results') return listResults(query);
		const result = /^\/api\/v1\/extract\/results\/([^/]+)$/.exec(path);
		if (method === 'GET' && result) return getResult(decodeURIComponent(result[1]), query);
		if (method === 'POST' && path === '/api/v1/classify/sync') return classify(form);
		if (method === 'POST' && path === '/v1/chat/completions') return chat(body);
		return detail(404, 'Not Found');
	}

	return { handle, records, stats };
}

module.exports = { PREFIX, extractionRoutes };
