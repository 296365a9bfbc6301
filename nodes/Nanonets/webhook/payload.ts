import type { IDataObject } from 'n8n-workflow';

import { asArray, asBoolean, asNullableText, asNumber } from '../results/extracted';
import type { V2Page } from '../results/v2';

/**
 * What Nanonets' "Export to Webhook" sends, found in any published shape. Pure: no request.
 *
 * Nanonets documents the payload only in part (see the README's webhook section): a v2-style
 * body whose `result` is a list of page results (older article) or one object (seen by a
 * receiver of a real On-Approval export), and for v4 workflows possibly the v4 document itself.
 * A list of any of these is accepted too. Each document found becomes one `Delivered` entry;
 * whatever is not recognised is kept as it came.
 */
export type Delivered =
	| { kind: 'v4'; id: string; workflowId: string | null; raw: IDataObject }
	| { kind: 'v2'; id: string; workflowId: string | null; pages: V2Page[]; raw: IDataObject }
	| { kind: 'unrecognised'; raw: unknown };

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyText(value: unknown): string | null {
	const text = asNullableText(value);
	return text === null || text.trim() === '' || typeof value === 'object' ? null : text;
}

/** A v4 document, or what names one: a `document_id` (an export may carry only the ids). */
function isV4Document(value: IDataObject): boolean {
	return nonEmptyText(value.document_id) !== null;
}

/** A v2 page (or file) result: an id with a v2 result's own keys. */
function isV2Entry(value: IDataObject): boolean {
	const id = nonEmptyText(value.request_file_id) ?? nonEmptyText(value.id);
	const v2Keys = ['moderated_boxes', 'predicted_boxes', 'prediction', 'model_id', 'approval_status', 'is_moderated', 'input'];
	return id !== null && v2Keys.some((key) => key in value);
}

/** Reviewed values first: a non-empty `moderated_boxes` is what a reviewer approved. */
export function boxesOf(entry: IDataObject): IDataObject[] {
	for (const key of ['moderated_boxes', 'predicted_boxes', 'prediction']) {
		const boxes = asArray(entry[key]).filter(isRecord);
		if (boxes.length > 0) return boxes;
	}
	return [];
}

/** A v2 entry as the v2 shaping reads pages (results/v2.ts). */
function v2Page(entry: IDataObject): V2Page {
	// A page result has its own `id` and the file's `request_file_id`; a file-level result
	// (the object form) has only `id`, the file's.
	const fileId = nonEmptyText(entry.request_file_id) ?? (nonEmptyText(entry.id) as string);
	const moderated = asBoolean(entry.is_moderated) ?? (asArray(entry.moderated_boxes).length > 0 ? true : null);
	return {
		raw: entry,
		request_file_id: fileId,
		page_id: nonEmptyText(entry.request_file_id) !== null ? nonEmptyText(entry.id) : nonEmptyText(entry.page_id),
		page: asNumber(entry.page),
		input: asNullableText(entry.input ?? entry.original_file_name ?? entry.filename ?? entry.file),
		metadata: entry.request_metadata ?? null,
		boxes: boxesOf(entry),
		moderated,
		status: asNullableText(entry.status ?? entry.approval_status ?? entry.message),
		uploaded_at: null,
		signed_urls: null,
	};
}

/** v2 entries of a `result` (a list, one object, or lists nested per input), in order. */
function v2Entries(result: unknown, into: IDataObject[], unknown: unknown[]): void {
	for (const entry of Array.isArray(result) ? result : [result]) {
		if (isRecord(entry) && isV2Entry(entry)) into.push(entry);
		// The older shape nests each input's pages in a result of its own.
		else if (isRecord(entry) && 'result' in entry && (Array.isArray(entry.result) || isRecord(entry.result))) v2Entries(entry.result, into, unknown);
		else unknown.push(entry);
	}
}

function workflowIdOf(value: IDataObject, fallback: IDataObject = {}): string | null {
	return nonEmptyText(value.workflow_id) ?? nonEmptyText(value.model_id) ?? nonEmptyText(fallback.workflow_id) ?? nonEmptyText(fallback.model_id);
}

/**
 * Every document in a delivery, in the order it came. v2 page results of one file are grouped
 * into one document (by `request_file_id`, else `id`); a v4 document stands alone.
 */
export function documentsIn(body: unknown): Delivered[] {
	const found: Delivered[] = [];
	const visit = (value: unknown) => {
		if (Array.isArray(value)) {
			for (const element of value) visit(element);
			return;
		}
		if (!isRecord(value)) {
			found.push({ kind: 'unrecognised', raw: value });
			return;
		}
		if (isV4Document(value)) {
			found.push({ kind: 'v4', id: nonEmptyText(value.document_id) as string, workflowId: workflowIdOf(value), raw: value });
			return;
		}
		// A wrapped v4 document: { document: {...} } or { data: {...} }.
		for (const key of ['document', 'data']) {
			if (isRecord(value[key]) && isV4Document(value[key] as IDataObject)) {
				const inner = value[key] as IDataObject;
				found.push({ kind: 'v4', id: nonEmptyText(inner.document_id) as string, workflowId: workflowIdOf(inner, value), raw: inner });
				return;
			}
		}
		if ('result' in value && (Array.isArray(value.result) || isRecord(value.result))) {
			const entries: IDataObject[] = [];
			const unknown: unknown[] = [];
			v2Entries(value.result, entries, unknown);
			// Each entry read once, grouped by its file.
			const groups = new Map<string, Array<{ entry: IDataObject; page: V2Page }>>();
			for (const entry of entries) {
				const page = v2Page(entry);
				const id = page.request_file_id as string;
				groups.set(id, [...(groups.get(id) ?? []), { entry, page }]);
			}
			for (const [id, pairs] of groups) {
				const group = pairs.map((pair) => pair.entry);
				const pages = pairs.map((pair) => pair.page).sort((a, b) => (a.page ?? 0) - (b.page ?? 0));
				// The document as it came: the one result object, or the body with only this file's pages.
				const raw = group.length === 1 && !Array.isArray(value.result) ? { ...value, result: group[0] } : { ...value, result: group };
				found.push({ kind: 'v2', id, workflowId: workflowIdOf(group[0], value), pages, raw });
			}
			// Nothing known in it: the body as it came; else the entries of no known kind, each.
			if (entries.length === 0) found.push({ kind: 'unrecognised', raw: value });
			else for (const entry of unknown) found.push({ kind: 'unrecognised', raw: entry });
			return;
		}
		if (isV2Entry(value)) {
			const page = v2Page(value);
			found.push({ kind: 'v2', id: page.request_file_id as string, workflowId: workflowIdOf(value), pages: [page], raw: value });
			return;
		}
		found.push({ kind: 'unrecognised', raw: value });
	};
	visit(body);
	return found;
}

/** JSON with keys sorted, so that the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isRecord(value)) {
		const keys = Object.keys(value).sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
