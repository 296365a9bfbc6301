import type { IDataObject } from 'n8n-workflow';

import { asObject } from './extracted';

/**
 * How v4 workflow and review answers become items. Where Nanonets' sources disagree on a shape
 * (marked "unconfirmed" in our API notes), every known variant is accepted here, in one place.
 */

/** The workflow list: `{ workflows: [...] }` in the docs, a bare array in the Go SDK. */
export function workflowList(answer: unknown): IDataObject[] {
	const list = Array.isArray(answer) ? answer : asObject(answer).workflows;
	return (Array.isArray(list) ? list : []).filter(
		(workflow): workflow is IDataObject => typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow) && Boolean((workflow as IDataObject).id),
	);
}

/** A workflow's name in the app: its `description` (the schema has no `name`), else its id. */
export function workflowName(workflow: IDataObject): string {
	return typeof workflow.description === 'string' && workflow.description.trim() ? workflow.description.trim() : String(workflow.id);
}

/** One workflow: the object itself, or (defensively) wrapped in `workflow`. */
export function workflowFrom(answer: unknown): IDataObject {
	const object = asObject(answer);
	return object.id === undefined && typeof object.workflow === 'object' && object.workflow !== null ? asObject(object.workflow) : object;
}

/** The answer of Verify Document: the document, the changed status, or an empty 2xx. */
export function verificationItem(
	answer: unknown,
	sent: { workflowId: string; documentId: string; status: string; message: string },
): IDataObject {
	const object = asObject(answer);
	const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
	return {
		document_id: sent.documentId,
		workflow_id: sent.workflowId,
		verification_status: text(object.verification_status, sent.status),
		verification_message: text(object.verification_message, sent.message),
	};
}

/** The answer of Update Field: the changed field value (docs) or an empty 2xx (unconfirmed). */
export function updatedFieldItem(
	answer: unknown,
	sent: { documentId: string; pageId: string; fieldDataId: string; value: string },
): IDataObject {
	const object = asObject(answer);
	return {
		document_id: sent.documentId,
		page_id: sent.pageId,
		field_data_id: sent.fieldDataId,
		field_name: typeof object.field_name === 'string' ? object.field_name : null,
		value: object.value === undefined ? sent.value : object.value,
		confidence: typeof object.confidence === 'number' ? object.confidence : null,
		verification_status: typeof object.verification_status === 'string' ? object.verification_status : null,
	};
}

/** Keys under which a JSON answer of Get Original may give the file's address (unconfirmed). */
const DOWNLOAD_URL_KEYS = ['url', 'download_url', 'file_url', 'signed_url', 'original_document_url', 'raw_document_url'];
const FILE_NAME_KEYS = ['original_document_name', 'file_name', 'filename', 'name'];

function findKey(answer: unknown, keys: string[], accept: (value: string) => boolean): string | undefined {
	const object = asObject(answer);
	// The address may sit at the top or one level down (`data`, `document`, `file`).
	const places = [object, ...Object.values(object).filter((value) => typeof value === 'object' && value !== null).map(asObject)];
	for (const place of places) {
		for (const key of keys) {
			const value = place[key];
			if (typeof value === 'string' && accept(value.trim())) return value.trim();
		}
	}
	return undefined;
}

/** The http(s) address of the original file in a JSON answer, if it holds one. */
export function originalFileUrl(answer: unknown): string | undefined {
	return findKey(answer, DOWNLOAD_URL_KEYS, (value) => /^https?:\/\/\S+$/i.test(value));
}

/** The file name a JSON answer gives, if any. */
export function originalFileName(answer: unknown): string | undefined {
	return findKey(answer, FILE_NAME_KEYS, (value) => value !== '' && !/[/\\]/.test(value));
}
