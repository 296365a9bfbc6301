'use strict';
// v4 workflows and review: Get Workflow, Verify Document, Update Field, Get Original File.
// Where Nanonets' sources disagree on an answer, `state.config.reviewVariants` picks which
// published variant the sandbox gives (see `VARIANTS`), so the node is tested against each.
const crypto = require('node:crypto');

/** Nanonets' documented account limit. */
const MAX_WORKFLOWS = 20;

const VARIANTS = {
	// The docs wrap the list in `workflows`; the Go SDK reads a bare array (config.workflowListShape).
	// Verify Document: the SDKs discard the answer; the changed document or an empty 2xx.
	verify: ['document', 'empty'],
	// Update Field: the docs show the changed field value; an empty 2xx is also possible.
	updateField: ['field', 'empty'],
	// Get Original File: the bytes (Go SDK), JSON with a download address, or a redirect to it.
	original: ['file', 'json-url', 'redirect'],
};

const VERIFICATION_STATUSES = ['success', 'failed', 'unverified'];

function variantOf(state, name) {
	const chosen = state.config.reviewVariants?.[name] ?? VARIANTS[name][0];
	if (!VARIANTS[name].includes(chosen)) throw new Error(`Unknown ${name} variant ${chosen}`);
	return chosen;
}

function reviewRoutes(state, { reply, errorReply }) {
	/**
	 * A workflow created as in the app or through POST /api/v4/workflows: refused past the
	 * account limit with Nanonets' 400. (Workflows given at start-up are taken as they are, so
	 * tests can keep one workflow per case.)
	 */
	state.addWorkflow = (id, name = '') => {
		if (state.workflows.size >= MAX_WORKFLOWS) {
			throw errorReply(400, `Workflow limit reached: an account can have at most ${MAX_WORKFLOWS} workflows`);
		}
		state.workflows.set(id, []);
		state.config.workflowNames = { ...state.config.workflowNames, [id]: name };
		return id;
	};
	const documents = '/api/v4/workflows/{workflow_id}/documents/{document_id}';
	/** Public download links (as a storage service signs them): path -> { data, type, name }. */
	state.publicFiles = new Map();

	function findDocument(params) {
		const list = state.workflows.get(params.workflow_id);
		if (!list) throw errorReply(404, `Workflow ${params.workflow_id} not found`);
		const document = list.find((doc) => doc.document_id === params.document_id);
		if (!document) throw errorReply(404, `Document ${params.document_id} not found`);
		return document;
	}

	function findFieldValue(document, pageId, fieldDataId) {
		const page = document.pages.find((p) => p.page_id === pageId);
		if (!page) throw errorReply(404, `Page ${pageId} not found`);
		for (const [name, values] of Object.entries(page.data.fields ?? {})) {
			const value = values.find((v) => v.field_data_id === fieldDataId);
			if (value) return { name, value };
		}
		throw errorReply(404, `Field data ${fieldDataId} not found`);
	}

	/** What a workflow's fields and headers are: config.workflowSpecs[id] = { fields, table_headers }. */
	state.workflowDetails = (id) => {
		const spec = state.config.workflowSpecs?.[id] ?? {};
		const named = (kind, names = []) => names.map((name) => ({ id: `${id}-${kind}-${name}`, name }));
		return { fields: named('field', spec.fields), table_headers: named('header', spec.table_headers) };
	};

	function workflowView(id) {
		return {
			id,
			description: state.config.workflowNames?.[id] ?? '',
			workflow_type: '',
			...state.workflowDetails(id),
			settings: { table_capture: true },
			created_at: '2026-01-05T09:00:00Z',
		};
	}

	function fileOf(document) {
		// A URL upload or a seeded document has no bytes here: a small PDF stands in.
		return document.file ?? Buffer.from(`%PDF-1.4\n% sandbox original of ${document.original_document_name}\n%%EOF\n`);
	}

	const MIME_TYPES = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff' };

	return [
		{
			method: 'POST',
			template: '/api/v4/workflows',
			handler({ body }) {
				return workflowView(state.addWorkflow(crypto.randomUUID(), String(body.description ?? '')));
			},
		},
		{
			method: 'GET',
			template: '/api/v4/workflows/{workflow_id}',
			handler({ params }) {
				if (!state.workflows.has(params.workflow_id)) throw errorReply(404, `Workflow ${params.workflow_id} not found`);
				return workflowView(params.workflow_id);
			},
		},
		{
			method: 'POST',
			template: `${documents}/verify`,
			handler({ params, body }) {
				const document = findDocument(params);
				if (!VERIFICATION_STATUSES.includes(body.verification_status)) {
					throw errorReply(400, `verification_status must be one of ${VERIFICATION_STATUSES.join(', ')}`);
				}
				document.verification = { status: body.verification_status, message: String(body.verification_message ?? '') };
				state.onDocumentVerified?.(params.workflow_id, document); // webhooks.js: On Approval / On Rejection
				if (variantOf(state, 'verify') === 'empty') return reply(200, '');
				const { document_id, original_document_name } = document;
				return { document_id, original_document_name, verification_status: document.verification.status, verification_message: document.verification.message };
			},
		},
		{
			method: 'PATCH',
			template: `${documents}/pages/{page_id}/fields/{field_data_id}`,
			handler({ params, body }) {
				const document = findDocument(params);
				const { name, value } = findFieldValue(document, params.page_id, params.field_data_id);
				if (typeof body.value !== 'string') throw errorReply(400, 'value is required');
				value.value = body.value;
				value.is_moderated = true;
				if (variantOf(state, 'updateField') === 'empty') return reply(200, '');
				const { field_data_id, bbox, confidence, verification_status, verification_message } = value;
				return { field_data_id, field_name: name, value: value.value, bbox, confidence, verification_status, verification_message };
			},
		},
		{
			method: 'GET',
			template: `${documents}/original`,
			handler({ params }) {
				const document = findDocument(params);
				const name = document.original_document_name;
				const type = MIME_TYPES[String(name).split('.').pop().toLowerCase()] ?? 'application/octet-stream';
				const variant = variantOf(state, 'original');
				if (variant === 'file') {
					return reply(200, fileOf(document), { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${name}"` });
				}
				const path = `/downloads/${crypto.randomUUID()}/${encodeURIComponent(name)}`;
				// Storage links carry no name header and often a generic type: the node must cope.
				state.publicFiles.set(path, { data: fileOf(document), type: 'application/octet-stream' });
				// Tests may put the link on another host (config.originalFileUrl), as a storage service would.
				const url = state.config.originalFileUrl?.(document) ?? `${state.url}${path}?signature=sandbox`;
				if (variant === 'redirect') return reply(302, '', { Location: url });
				return { url, original_document_name: name };
			},
		},
	];
}

module.exports = { reviewRoutes, VARIANTS, MAX_WORKFLOWS };
