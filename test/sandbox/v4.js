'use strict';
// v4 workflow documents: upload, list, get, get page, delete.
const crypto = require('node:crypto');

const { extractionFor, readSpec, v4Page } = require('./extraction');
const { MAX_FILE_BYTES, MAX_PAGES, fileKind, pageCount, takePages } = require('./limits');

const ACCEPTED = ['pdf', 'jpeg', 'png', 'tiff', 'xls', 'xlsx'];
const SYNC_MAX_PAGES = 3;

/**
 * How the document list and reads behave; a test may change any of these, and `state.resetV4()`
 * puts them back. Nanonets' own material disagrees on the list's shape and page size, so the
 * sandbox can answer in each published variant.
 */
function defaultV4Behaviour() {
	return {
		/** 'object': `{ documents, total_count, page_no, page_size }` (the v4 reference); 'array': a bare list (the Go SDK). */
		listShape: 'object',
		/** The most entries a list page holds whatever `limit` asks (the reference's example answers 50 to 10). */
		pageSizeCap: undefined,
		/** Called before a list page is answered, with (workflowId, page): tests change the list here. */
		beforeListPage: undefined,
		/** Document reads answer after this long (ms). */
		readDelayMs: 0,
		/** Document id -> how many more reads answer 500 (Infinity: every one). */
		failingReads: new Map(),
	};
}

function v4Routes(state, { reply, errorReply }) {
	const base = '/api/v4/workflows/{workflow_id}/documents';
	state.v4 = defaultV4Behaviour();
	state.resetV4 = () => {
		state.v4 = defaultV4Behaviour();
	};

	function workflowDocuments(workflowId) {
		const documents = state.workflows.get(workflowId);
		if (!documents) throw errorReply(404, `Workflow ${workflowId} not found`);
		return documents;
	}

	function findDocument(workflowId, documentId) {
		const document = workflowDocuments(workflowId).find((doc) => doc.document_id === documentId);
		if (!document) throw errorReply(404, `Document ${documentId} not found`);
		return document;
	}

	/** The document as the API shows it now: status follows the clock. */
	function view(document, { withPages = true, listEntry = false } = {}) {
		const done = !document.never && Date.now() >= document.readyAt;
		let status = done ? document.outcome : document.converted ? 'processing' : 'pending';
		// A test can make the list disagree with the document (the list is a summary, it may lag).
		if (listEntry && document.listStatus) status = document.listStatus;
		const shown = {
			document_id: document.document_id,
			status,
			uploaded_at: document.uploaded_at,
			metadata: document.metadata,
			original_document_name: document.original_document_name,
			raw_document_url: `https://sandbox.invalid/documents/${document.document_id}`,
			// A reviewer's decision (Verify, in review.js) replaces the processing outcome's.
			verification_status: document.verification?.status ?? (status === 'failure' ? 'failed' : 'success'),
			verification_stage: '00000000-0000-0000-0000-000000000000',
			verification_message: document.verification?.message ?? (status === 'failure' ? 'The document could not be read' : ''),
			assigned_reviewers: [],
		};
		if (listEntry) {
			// The reference's list entries carry no verification_message.
			delete shown.verification_message;
			shown.pages = document.pages.map((page) => ({
				page_id: page.page_id,
				page_number: page.page_number,
				image_url: '',
				data: { fields: null, tables: null },
			}));
		} else if (withPages && done) {
			shown.pages = status === 'success' ? document.pages : [];
		}
		return shown;
	}

	state.viewDocument = (document) => view(document);

	function createDocument(workflowId, { file, name, metadata, spec, pages, account }) {
		if (account !== 'seed') takePages(state, account, pages, reply);
		const documentId = crypto.randomUUID();
		const extraction = extractionFor(file ?? Buffer.from(name), pages, spec);
		const delay = spec.delayMs ?? state.config.processingMs + state.config.perPageMs * pages;
		const document = {
			document_id: documentId,
			uploaded_at: new Date().toISOString(),
			metadata: metadata ?? null,
			original_document_name: name,
			readyAt: Date.now() + delay,
			outcome: spec.outcome === 'failure' ? 'failure' : 'success',
			never: spec.never === true,
			converted: false,
			pages: extraction.map((page, i) => v4Page(documentId, i, page, spec.headers, spec.confidence)),
			// The uploaded bytes, for Get Original (review.js).
			file: file ?? null,
		};
		state.stats.processingMsTotal += delay;
		state.stats.documentsProcessed += 1;
		workflowDocuments(workflowId).unshift(document);
		state.onDocumentCreated?.(workflowId, document); // webhooks.js: export once processed
		return document;
	}

	/** Waits while a synchronous upload is processed, as Nanonets holds the request open. */
	async function answerUpload(document, wantsAsync, pages) {
		if (wantsAsync) return view(document, { withPages: false });
		if (pages > SYNC_MAX_PAGES) {
			document.converted = true;
			return view(document, { withPages: false });
		}
		if (document.never) {
			document.converted = true;
			return view(document, { withPages: false });
		}
		// A timer may fire a millisecond before the clock reaches readyAt: wait until it has.
		for (let wait = document.readyAt - Date.now(); wait > 0; wait = document.readyAt - Date.now()) {
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
		return view(document);
	}

	/** For tests: a document as if uploaded, without the rate limit. */
	state.addDocument = (workflowId, { pages = 1, spec = {}, name = 'seeded.pdf', metadata, uploadedAt, file } = {}) => {
		const document = createDocument(workflowId, { file, name, metadata, spec, pages, account: 'seed' });
		if (uploadedAt) {
			// The list is sorted by upload time, newest first; equal times keep the older entry first.
			document.uploaded_at = uploadedAt;
			const documents = workflowDocuments(workflowId);
			documents.shift();
			const at = documents.findIndex((other) => other.uploaded_at < uploadedAt);
			documents.splice(at === -1 ? documents.length : at, 0, document);
		}
		return document.document_id;
	};

	/** For tests: a document deleted as if in the Nanonets app. */
	state.deleteDocument = (workflowId, documentId) => {
		const documents = workflowDocuments(workflowId);
		const index = documents.findIndex((doc) => doc.document_id === documentId);
		if (index !== -1) documents.splice(index, 1);
	};

	/** A workflow as Nanonets describes it; its `description` is the name shown in the app. */
	function workflowView(id) {
		return {
			id,
			description: state.config.workflowNames?.[id] ?? '',
			workflow_type: '',
			fields: [],
			table_headers: [],
			...state.workflowDetails?.(id),
			settings: { table_capture: true },
			created_at: '2026-01-05T09:00:00Z',
		};
	}

	return [
		{
			method: 'GET',
			template: '/api/v4/workflows',
			// The docs wrap the list in `workflows`; Nanonets' Go SDK reads a bare array.
			handler() {
				const list = [...state.workflows.keys()].map(workflowView);
				return state.config.workflowListShape === 'array' ? list : { workflows: list };
			},
		},
		{
			method: 'POST',
			template: base,
			async handler({ params, body, form, account }) {
				workflowDocuments(params.workflow_id);
				const truthy = (value) => String(value).toLowerCase() === 'true';
				if (form) {
					const file = form.files.file?.[0];
					if (!file) throw errorReply(400, 'Either file or document_url is required');
					if (file.data.length > MAX_FILE_BYTES) throw errorReply(413, 'File size exceeds the 20MB limit');
					const kind = fileKind(file.data);
					if (!kind || !ACCEPTED.includes(kind)) throw errorReply(400, 'Unsupported file type. Supported: PDF, JPG, JPEG, PNG, TIFF, XLS, XLSX');
					const pages = pageCount(file.data, kind);
					if (pages > MAX_PAGES) throw errorReply(400, `Document has ${pages} pages; the maximum is ${MAX_PAGES}`);
					const metadata = form.fields.metadata?.[0];
					const spec = readSpec(file.data);
					const document = createDocument(params.workflow_id, { file: file.data, name: file.filename, metadata, spec, pages, account });
					return answerUpload(document, truthy(form.fields.async?.[0] ?? 'false'), pages);
				}
				if (!body.document_url) throw errorReply(400, 'Either file or document_url is required');
				let url;
				try {
					url = new URL(body.document_url);
				} catch {
					throw errorReply(400, 'document_url is not a valid URL');
				}
				// A URL's query can steer the sandbox: ?pages=5&outcome=failure&never=true
				const pages = Number(url.searchParams.get('pages') ?? 1);
				if (pages > MAX_PAGES) throw errorReply(400, `Document has ${pages} pages; the maximum is ${MAX_PAGES}`);
				const spec = {
					outcome: url.searchParams.get('outcome') ?? undefined,
					never: url.searchParams.get('never') === 'true',
				};
				const name = url.pathname.split('/').pop() || url.hostname;
				const document = createDocument(params.workflow_id, { name, metadata: body.metadata, spec, pages, account });
				return answerUpload(document, truthy(body.async ?? false), pages);
			},
		},
		{
			method: 'GET',
			template: base,
			async handler({ params, query }) {
				const documents = workflowDocuments(params.workflow_id);
				const page = Number(query.page ?? 1);
				const limit = Number(query.limit ?? 10);
				if (!Number.isInteger(page) || page < 1) throw errorReply(400, 'page must be a positive integer');
				if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw errorReply(400, 'limit must be between 1 and 100');
				await state.v4.beforeListPage?.(params.workflow_id, page);
				const pageSize = Math.min(limit, state.v4.pageSizeCap ?? limit);
				const slice = documents.slice((page - 1) * pageSize, page * pageSize);
				const entries = slice.map((document) => view(document, { listEntry: true }));
				if (state.v4.listShape === 'array') return entries;
				return { documents: entries, total_count: documents.length, page_no: page, page_size: pageSize };
			},
		},
		{
			method: 'GET',
			template: `${base}/{document_id}`,
			async handler({ params }) {
				const document = findDocument(params.workflow_id, params.document_id);
				if (state.v4.readDelayMs) await new Promise((resolve) => setTimeout(resolve, state.v4.readDelayMs));
				const failures = state.v4.failingReads.get(params.document_id) ?? 0;
				if (failures > 0) {
					state.v4.failingReads.set(params.document_id, failures - 1);
					throw errorReply(500, 'Internal server error');
				}
				return view(document);
			},
		},
		{
			method: 'GET',
			template: `${base}/{document_id}/pages/{page_id}`,
			handler({ params }) {
				const document = findDocument(params.workflow_id, params.document_id);
				const shown = view(document);
				const page = (shown.pages ?? []).find((p) => p.page_id === params.page_id);
				if (!page) throw errorReply(404, `Page ${params.page_id} not found`);
				return page;
			},
		},
		{
			method: 'DELETE',
			template: `${base}/{document_id}`,
			handler({ params }) {
				const documents = workflowDocuments(params.workflow_id);
				const index = documents.findIndex((doc) => doc.document_id === params.document_id);
				if (index === -1) throw errorReply(404, `Document ${params.document_id} not found`);
				documents.splice(index, 1);
				return { message: 'Document deleted successfully' };
			},
		},
	];
}

module.exports = { v4Routes };
