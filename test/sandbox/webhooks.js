'use strict';
// "Export to Webhook", as the Nanonets app sets it up: a registered URL receives a POST for each
// document once it is processed (On Inference) and when a reviewer approves or rejects it
// (On Approval, On Rejection, through Verify). Nanonets publishes only part of the payload, so
// each registration picks one of the shapes its sources show (`VARIANTS`). Real Nanonets has no
// API for this: the routes under /sandbox/ exist only here, for tests and the e2e run.

/**
 * - v4:         the v4 document as Get Document shows it (no published sample: a guess)
 * - v2-list:    `{ message, result: [page results] }`, each with `request_file_id` and boxes
 * - v2-object:  `{ result: { id, model_id, input, approval_status, ... } }` (a real On-Approval export)
 * - v2-nested:  `{ result: [{ message, input, result: [page results] }] }` (the older article)
 * - list:       a JSON list holding a v4 document
 */
const VARIANTS = ['v4', 'v2-list', 'v2-object', 'v2-nested', 'list'];
const EVENTS = ['inference', 'approval', 'rejection'];

/** A v4 page's fields and tables as v2 boxes. */
function boxesOf(pages) {
	const boxes = [];
	for (const page of pages) {
		for (const [label, values] of Object.entries(page.data?.fields ?? {})) {
			for (const value of values) {
				const [xmin, ymin, xmax, ymax] = value.bbox ?? [0, 0, 0, 0];
				boxes.push({ id: value.field_data_id, label, ocr_text: value.value, score: value.confidence, type: 'field', xmin, ymin, xmax, ymax, page: page.page_number - 1 });
			}
		}
		for (const table of page.data?.tables ?? []) {
			const cells = table.cells.map((cell) => ({ row: cell.row, col: cell.col, label: cell.header, text: cell.text, score: cell.confidence ?? 1 }));
			boxes.push({ id: table.table_id, label: 'table', type: 'table', cells, page: page.page_number - 1 });
		}
	}
	return boxes;
}

function webhookRoutes(state, { reply, errorReply }) {
	const webhooks = {
		registrations: [],
		/** Every POST sent: { id, at (ms, just before sending), url, variant, event, document_id, status, error } */
		deliveries: [],
		/** Predictions as first made, per document id: what `predicted_boxes` shows after a review. */
		predicted: new Map(),
		counter: 0,
	};
	state.webhooks = webhooks;

	function approvalStatus(document) {
		const status = document.verification?.status;
		return status === 'success' ? 'approved' : status === 'failed' ? 'rejected' : 'pending';
	}

	function payload(variant, workflowId, document) {
		const shown = state.viewDocument(document);
		if (variant === 'v4') return shown;
		if (variant === 'list') return [shown];
		const reviewed = document.verification !== undefined || document.pages.some((page) => Object.values(page.data?.fields ?? {}).flat().some((value) => value.is_moderated));
		const current = boxesOf(shown.pages ?? []);
		const predicted = webhooks.predicted.get(document.document_id) ?? current;
		const common = {
			model_id: workflowId,
			input: document.original_document_name,
			approval_status: approvalStatus(document),
			is_moderated: reviewed,
			request_metadata: document.metadata ?? '',
		};
		if (variant === 'v2-object') {
			return { result: { id: document.document_id, ...common, moderated_boxes: reviewed ? current : [], predicted_boxes: predicted } };
		}
		const pageResults = (shown.pages ?? []).map((page) => ({
			message: 'Success',
			id: page.page_id,
			request_file_id: document.document_id,
			page: page.page_number - 1,
			...common,
			moderated_boxes: reviewed ? boxesOf([page]) : [],
			prediction: predicted.filter((box) => box.page === page.page_number - 1),
		}));
		if (variant === 'v2-nested') return { message: 'Success', result: [{ message: 'Success', input: document.original_document_name, result: pageResults }] };
		return { message: 'Success', result: pageResults };
	}

	/** The body an export of this document sends in `variant`, for tests that deliver it by hand. */
	webhooks.payload = (variant, workflowId, documentId) => {
		const document = state.workflows.get(workflowId)?.find((doc) => doc.document_id === documentId);
		if (!document) throw new Error(`no document ${documentId} in ${workflowId}`);
		return payload(variant, workflowId, document);
	};

	async function post(registration, body, entry) {
		try {
			const response = await fetch(registration.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			entry.status = response.status;
			entry.answer = (await response.text()).slice(0, 500);
		} catch (error) {
			entry.error = error.message;
		}
		entry.answeredAt = Date.now();
	}

	/** Sends the document to every registration of its workflow that listens for `event`; resolves when all answered. */
	webhooks.exportDocument = async (workflowId, document, event) => {
		const sending = [];
		for (const registration of webhooks.registrations) {
			if (registration.workflowId && registration.workflowId !== workflowId) continue;
			if (!registration.events.includes(event)) continue;
			const body = payload(registration.variant, workflowId, document);
			// Nanonets may deliver the same export more than once (`repeat`).
			for (let copy = 0; copy < registration.repeat; copy++) {
				const entry = { id: ++webhooks.counter, at: Date.now(), url: registration.url, variant: registration.variant, event, document_id: document.document_id, status: 0 };
				webhooks.deliveries.push(entry);
				sending.push(post(registration, body, entry));
			}
		}
		await Promise.all(sending);
	};

	webhooks.register = ({ url, variant = 'v4', events = EVENTS, workflowId, repeat = 1 }) => {
		if (!/^https?:\/\//.test(String(url))) throw errorReply(400, 'url must be an http(s) address');
		if (!VARIANTS.includes(variant)) throw errorReply(400, `variant must be one of ${VARIANTS.join(', ')}`);
		if (!Array.isArray(events) || events.some((event) => !EVENTS.includes(event))) throw errorReply(400, `events must be a list of ${EVENTS.join(', ')}`);
		const registration = { id: String(++webhooks.counter), url, variant, events, workflowId, repeat: Math.max(1, Number(repeat) || 1) };
		webhooks.registrations.push(registration);
		return registration;
	};

	// Hooks called by v4.js (a document was created) and review.js (a reviewer decided).
	state.onDocumentCreated = (workflowId, document) => {
		webhooks.predicted.set(document.document_id, boxesOf(document.pages));
		if (document.never || webhooks.registrations.length === 0) return;
		const whenProcessed = () => {
			// A timer may fire a millisecond before the clock reaches readyAt: wait until it has.
			if (Date.now() < document.readyAt) return setTimeout(whenProcessed, document.readyAt - Date.now()).unref?.();
			if (document.outcome === 'success') webhooks.exportDocument(workflowId, document, 'inference');
		};
		setTimeout(whenProcessed, Math.max(0, document.readyAt - Date.now())).unref?.();
	};
	state.onDocumentVerified = (workflowId, document) => {
		const event = document.verification?.status === 'failed' ? 'rejection' : 'approval';
		webhooks.exportDocument(workflowId, document, event);
	};

	return [
		{
			method: 'POST',
			template: '/sandbox/webhooks',
			handler({ body }) {
				return reply(201, webhooks.register({ url: body.url, variant: body.variant, events: body.events, workflowId: body.workflow_id, repeat: body.repeat }));
			},
		},
		{
			method: 'GET',
			template: '/sandbox/webhooks',
			handler() {
				return { webhooks: webhooks.registrations, deliveries: webhooks.deliveries };
			},
		},
		{
			method: 'DELETE',
			template: '/sandbox/webhooks/{id}',
			handler({ params }) {
				const index = webhooks.registrations.findIndex((registration) => registration.id === params.id);
				if (index === -1) throw errorReply(404, `No webhook ${params.id}`);
				webhooks.registrations.splice(index, 1);
				return { message: 'Webhook deleted' };
			},
		},
	];
}

module.exports = { webhookRoutes, VARIANTS, EVENTS, boxesOf };
