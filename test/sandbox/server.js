'use strict';
// The Nanonets sandbox: a local HTTP server that behaves as Nanonets' public documents say,
// for tests, the demo and the benchmark. Direct API under /api/..., the LowCodeAPI proxy
// under /nanonets/api/... . It is a test double: simple, in memory, deterministic.
const { createHash } = require('node:crypto');
const http = require('node:http');

const { parseMultipart } = require('./multipart');
const { v4Routes } = require('./v4');
const { reviewRoutes } = require('./review');
const { defaultPublished } = require('./published');
const { PREFIX: EXTRACTION_API_PREFIX, extractionRoutes } = require('./extractionApi');
const { webhookRoutes } = require('./webhooks');

const MAX_BODY_BYTES = 20 * 1024 * 1024;

class SandboxResponse {
	constructor(status, body, headers = {}) {
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

/** Handlers throw this (or return it) to answer with an error. */
function reply(status, body, headers) {
	return new SandboxResponse(status, body, headers);
}

function errorReply(status, message, headers) {
	return reply(status, { message, code: status }, headers);
}

/** A URL-encoded body; a repeated field (`urls=a&urls=b`) becomes a list. */
function urlEncodedFields(text) {
	const fields = {};
	for (const [name, value] of new URLSearchParams(text)) fields[name] = name in fields ? [].concat(fields[name], value) : value;
	return fields;
}

/** Compiles `{name}` templates into matchers for both LowCodeAPI URL formats. */
function compileRoute(route) {
	const names = [];
	const pattern = route.template.replace(/\/+$/, '').replace(/\{(\w+)\}/g, (_m, name) => {
		names.push(name);
		return '([^/]+)';
	});
	const oldPath = route.template.replace(/\{(\w+)\}/g, '$1').toLowerCase().replace(/\/+$/, '');
	return { ...route, names, regex: new RegExp(`^${pattern}/?$`), oldPath };
}

/**
 * @param {object} [options]
 * @param {string} [options.apiKey]            the only API key accepted (HTTP Basic user name)
 * @param {string} [options.lowCodeToken]      the only LowCodeAPI token accepted
 * @param {number} [options.processingMs]      how long a document takes, at least
 * @param {number} [options.perPageMs]         plus this per page
 * @param {number} [options.pagesPerMinute]    the account's rate limit (0: none)
 * @param {number} [options.retryAfterSeconds] a 429's Retry-After, whatever the window holds (default: the truth)
 * @param {string[]} [options.lowCodeFormats]  URL formats the proxy accepts: 'new', 'old'
 * @param {boolean} [options.lowCodeCoversV4]  whether the proxy forwards /api/v4 paths
 * @param {string[]} [options.workflows]       workflow ids that exist
 * @param {object} [options.workflowNames]     workflow id -> name (its `description`)
 * @param {string} [options.workflowListShape] 'wrapped' ({ workflows }, default) or 'array'
 * @param {boolean} [options.recordAnswers]    keep each JSON answer on its request entry (`answer`)
 */
async function startSandbox(options = {}) {
	const config = {
		apiKey: 'sandbox-api-key',
		lowCodeToken: 'sandbox-lowcode-token',
		processingMs: 300,
		perPageMs: 20,
		pagesPerMinute: 75,
		lowCodeFormats: ['new', 'old'],
		lowCodeCoversV4: true,
		workflows: ['wf-invoices'],
		// The extraction API (under /extraction-api): its Bearer key, and 0 = no rate limit.
		extractionKey: 'sandbox-extraction-key',
		extractionPagesPerMinute: 0,
		...options,
	};
	const state = {
		config,
		workflows: new Map(config.workflows.map((id) => [id, []])),
		models: new Map(),
		/** Every request, for tests: { method, path, query, via, status, at } */
		requests: [],
		/** Pages booked per account: [{ at, pages }] */
		pagesSent: new Map(),
		faults: [],
		counter: 0,
		stats: { rateLimited: 0, processingMsTotal: 0, documentsProcessed: 0 },
	};

	// Where Nanonets' published descriptions disagree, which one the sandbox follows (published.js).
	state.published = defaultPublished();
	state.resetPublished = () => {
		state.published = defaultPublished();
	};
	const routes = [...v4Routes(state, { reply, errorReply }), ...reviewRoutes(state, { reply, errorReply }), ...webhookRoutes(state, { reply, errorReply })];
	try {
		// The v2 endpoints live in their own module once it exists.
		routes.push(...require('./v2').v2Routes(state, { reply, errorReply }));
	} catch (error) {
		if (error.code !== 'MODULE_NOT_FOUND') throw error;
	}
	const compiled = routes.map(compileRoute);
	const extractionApi = extractionRoutes(state);

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			send(res, 500, { message: `sandbox error: ${error.message}` });
		});
	});

	function send(res, status, body, headers = {}) {
		if (res.headersSent || res.destroyed) return;
		// A Buffer is a file, sent as it is with the type the handler gave.
		const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': Buffer.isBuffer(body) ? 'application/octet-stream' : typeof body === 'string' ? 'text/html' : 'application/json',
			...headers,
		});
		res.end(text);
	}

	function takeFault(method, path) {
		const index = state.faults.findIndex(
			(fault) =>
				(!fault.method || fault.method === method) &&
				(!fault.path || (fault.path instanceof RegExp ? fault.path.test(path) : path.includes(fault.path))),
		);
		if (index === -1) return undefined;
		const fault = state.faults[index];
		fault.times -= 1;
		if (fault.times <= 0) state.faults.splice(index, 1);
		return fault;
	}

	async function readBody(req) {
		const declared = Number(req.headers['content-length'] ?? 0);
		// Anything much larger than 20 MB cannot be a valid upload: refuse without reading it all.
		if (declared > MAX_BODY_BYTES + 1024 * 1024) return { tooLarge: true };
		const chunks = [];
		let size = 0;
		for await (const chunk of req) {
			size += chunk.length;
			if (size > MAX_BODY_BYTES + 1024 * 1024) return { tooLarge: true };
			chunks.push(chunk);
		}
		return { buffer: Buffer.concat(chunks) };
	}

	function matchRoute(method, path, via, query) {
		for (const route of compiled) {
			if (route.method !== method) continue;
			if (via === 'old') {
				if (path.toLowerCase().replace(/\/+$/, '') !== route.oldPath) continue;
				const params = {};
				for (const name of route.names) {
					if (query[name] === undefined) return { missing: name };
					params[name] = query[name];
				}
				return { route, params };
			}
			const match = route.regex.exec(path);
			if (!match) continue;
			const params = {};
			route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
			return { route, params };
		}
		return undefined;
	}

	async function handle(req, res) {
		const url = new URL(req.url, 'http://sandbox.local');
		const query = Object.fromEntries(url.searchParams);
		const method = req.method;
		let path = url.pathname;
		const entry = { method, path, query, via: 'direct', status: 0, at: Date.now() };
		state.requests.push(entry);

		const proxied = path.startsWith('/nanonets/');
		const wrap = (status, body, headers) => {
			entry.status = status;
			if (config.recordAnswers && !Buffer.isBuffer(body)) entry.answer = body;
			// Files and redirects pass through the proxy unwrapped.
			if (!proxied || Buffer.isBuffer(body) || (status >= 300 && status < 400)) return send(res, status, body, headers);
			if (status >= 400) {
				const message = typeof body === 'object' && body ? (body.message ?? 'Error') : String(body);
				return send(res, status, { data: { error: { message, code: String(status) } } }, headers);
			}
			return send(res, status, { data: body }, headers);
		};

		const fault = takeFault(method, path);
		if (fault) {
			entry.fault = fault.kind ?? fault.status;
			if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
			if (fault.reset) return req.socket.destroy();
			if (fault.status) {
				entry.status = fault.status;
				const body = typeof fault.body === 'function' ? fault.body(undefined) : fault.body;
				return send(res, fault.status, body ?? { message: `fault ${fault.status}` }, fault.headers ?? {});
			}
		}

		if (path.startsWith(`${EXTRACTION_API_PREFIX}/`)) {
			entry.via = 'extraction';
			const { buffer, tooLarge } = await readBody(req);
			if (tooLarge) return wrap(413, { detail: 'File too large' });
			const answer = await extractionApi.handle({ method, path: path.slice(EXTRACTION_API_PREFIX.length), query, headers: req.headers, buffer, entry });
			// A fault that replaces the body of an otherwise normal answer (reordered or missing records).
			const body = fault?.body !== undefined && !fault.status ? (typeof fault.body === 'function' ? fault.body(answer.body) : fault.body) : answer.body;
			return wrap(answer.status, body, answer.headers);
		}

		// A signed download link (Get Original File): no credential, as with a storage service.
		const publicFile = state.publicFiles?.get(path);
		if (publicFile) return wrap(200, publicFile.data, { 'Content-Type': publicFile.type });

		let account;
		if (proxied) {
			path = path.slice('/nanonets'.length);
			if (query.api_token !== config.lowCodeToken) return wrap(401, { message: 'Invalid or missing API token' });
			delete query.api_token;
			account = 'lowcode';
		} else {
			const auth = req.headers.authorization ?? '';
			const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0] : '';
			if (user !== config.apiKey) return wrap(401, { message: 'Invalid API key' });
			account = 'direct';
		}

		let matched;
		if (proxied) {
			const isV4 = path.toLowerCase().startsWith('/api/v4/');
			if (isV4 && !config.lowCodeCoversV4) return wrap(404, { message: 'Endpoint not found for provider nanonets' });
			if (config.lowCodeFormats.includes('new')) {
				matched = matchRoute(method, path, 'new', query);
				if (matched) entry.via = 'lowcode-new';
			}
			if (!matched && config.lowCodeFormats.includes('old')) {
				matched = matchRoute(method, path, 'old', query);
				if (matched?.missing) return wrap(400, { message: `Missing query parameter ${matched.missing}` });
				if (matched) {
					entry.via = 'lowcode-old';
					for (const name of matched.route.names) delete query[name];
				}
			}
		} else {
			matched = matchRoute(method, path, 'new', query);
		}
		if (!matched) return wrap(404, { message: `No such endpoint: ${method} ${path}` });

		const { buffer, tooLarge } = await readBody(req);
		if (tooLarge) return wrap(413, { message: 'File size exceeds the 20MB limit' });
		let body = {};
		let form;
		const contentType = req.headers['content-type'] ?? '';
		try {
			if (contentType.startsWith('multipart/form-data')) form = parseMultipart(buffer, contentType);
			else if (buffer.length && contentType.includes('json')) body = JSON.parse(buffer.toString('utf8'));
			else if (buffer.length && contentType.includes('urlencoded')) body = urlEncodedFields(buffer.toString('utf8'));
		} catch (error) {
			return wrap(400, { message: `Malformed request body: ${error.message}` });
		}
		// How the request was sent, for the conformance test (test/conformance.test.ts).
		entry.contentType = buffer.length ? contentType.split(';')[0].trim().toLowerCase() : undefined;
		entry.bodyFields = form ? [...Object.keys(form.fields), ...Object.keys(form.files)] : Object.keys(body);
		if (!form && entry.contentType === 'application/x-www-form-urlencoded') entry.fields = Object.fromEntries(Object.entries(body).map(([name, value]) => [name, [].concat(value)]));
		const upload = form?.files?.file?.[0];
		// What the node actually sent, so tests can check the name and type it chose.
		if (upload) {
			entry.upload = { filename: upload.filename, contentType: upload.contentType, size: upload.data.length, sha256: createHash('sha256').update(upload.data).digest('hex') };
			entry.fields = form.fields;
		}

		let result;
		try {
			result = await matched.route.handler({ params: matched.params, query, body, form, account, state, contentType: entry.contentType });
		} catch (error) {
			if (error instanceof SandboxResponse) result = error;
			else throw error;
		}
		if (!(result instanceof SandboxResponse)) result = reply(200, result);
		if (fault?.body !== undefined && !fault.status) {
			// A fault that replaces the body of an otherwise normal answer (fuzzing, wrong shapes).
			result = reply(result.status, typeof fault.body === 'function' ? fault.body(result.body) : fault.body, result.headers);
		}
		return wrap(result.status, result.body, result.headers);
	}

	await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address();
	const url = `http://127.0.0.1:${port}`;
	state.url = url;

	return {
		url,
		state,
		config,
		/**
		 * Queue a fault: { method?, path?, times?, status?, body?, headers?, delayMs?, reset? }.
		 * `body` may be a function: without `status` it gets the real answer's body to mutate.
		 */
		fault(fault) {
			state.faults.push({ times: 1, ...fault });
		},
		/** Adds a document to a workflow as if it had been uploaded; returns its id. */
		addDocument(workflowId, options) {
			return state.addDocument(workflowId, options);
		},
		requestsTo(pathPart, method) {
			return state.requests.filter((r) => r.path.includes(pathPart) && (!method || r.method === method));
		},
		reset() {
			state.requests.length = 0;
			state.faults.length = 0;
			state.pagesSent.clear();
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startSandbox, reply, errorReply };
