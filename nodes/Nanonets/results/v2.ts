import type { IDataObject } from 'n8n-workflow';

import {
	asArray,
	asBbox,
	asBoolean,
	asNullableText,
	asNumber,
	asObject,
	asText,
	cellFrom,
	type ExtractedDocument,
	type ExtractedPage,
	type ExtractedTable,
} from './extracted';
import { toItems, type OutputFormat, type ShapeOptions } from './formats';
import { FULL_TEXT_RESULT_KEYS } from '../transport/endpoints';

/**
 * v2 OCR answers come in two shapes: prediction answers (`result[]`, one entry per page, the
 * async upload nesting them once more per input) and retrieval answers (`moderated_images` and
 * `unmoderated_images`, each page with `predicted_boxes`). Both become a flat list of pages.
 *
 * A page reviewed in Nanonets carries `moderated_boxes`, the values after review (Nanonets'
 * reference calls them the final results): where a page has any, they are its boxes and the
 * page is moderated; the model's `predicted_boxes` stay in the Document output (`raw`).
 */
export interface V2Page {
	raw: IDataObject;
	request_file_id: string | null;
	page_id: string | null;
	page: number | null;
	input: string | null;
	metadata: unknown;
	boxes: IDataObject[];
	moderated: boolean | null;
	status: string | null;
	/** From the retrieval answers' day and hour, so to the hour; `null` where the answer has none. */
	uploaded_at: string | null;
	/** The answer's `signed_urls` (file name to download address), when it is an object. */
	signed_urls: IDataObject | null;
}

/** The reviewed boxes of a page, if a reviewer changed any (`moderated_boxes`, nulls dropped). */
function reviewedBoxes(raw: IDataObject): IDataObject[] {
	return asArray(raw.moderated_boxes).filter((box) => box !== null && typeof box === 'object').map(asObject);
}

/** `signed_urls` is an object of file name to address; anything else (a list) is not read. */
function signedUrls(value: unknown): IDataObject | null {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length ? (value as IDataObject) : null;
}

/** Nanonets' v2 retrieval answers date a page by `day_since_epoch` and `hour_of_day` (UTC). */
function uploadedAt(raw: IDataObject): string | null {
	const day = asNumber(raw.day_since_epoch);
	if (day === null) return null;
	const hour = asNumber(raw.hour_of_day) ?? 0;
	const date = new Date((day * 24 + hour) * 3_600_000);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function pageFromEntry(raw: IDataObject, predicted: unknown, moderated: boolean | null, signed: IDataObject | null): V2Page {
	const reviewed = reviewedBoxes(raw);
	const boxes = reviewed.length ? reviewed : asArray(predicted).map(asObject);
	return {
		raw,
		request_file_id: asNullableText(raw.request_file_id),
		page_id: asNullableText(raw.id),
		page: asNumber(raw.page),
		input: asNullableText(raw.input ?? raw.original_file_name ?? raw.filename ?? raw.file),
		metadata: raw.request_metadata ?? null,
		boxes,
		moderated: reviewed.length ? true : moderated,
		status: asNullableText(raw.status ?? raw.message),
		uploaded_at: uploadedAt(raw),
		signed_urls: signed,
	};
}

export function v2Pages(answer: unknown): V2Page[] {
	const body = asObject(answer);
	const signed = signedUrls(body.signed_urls);
	const pages: V2Page[] = [];
	const addResults = (entries: unknown) => {
		for (const entry of asArray(entries).map(asObject)) {
			// The async answer wraps each input's pages in a result of its own.
			if (Array.isArray(entry.result)) addResults(entry.result);
			else pages.push(pageFromEntry(entry, entry.prediction, asBoolean(entry.is_moderated), signed));
		}
	};
	addResults(body.result);
	for (const [bucket, moderated] of [['moderated_images', true], ['unmoderated_images', false]] as const) {
		for (const entry of asArray(body[bucket])) {
			// Nanonets' examples show `null` placeholders in empty buckets.
			if (entry === null || typeof entry !== 'object') continue;
			const page = asObject(entry);
			pages.push(pageFromEntry(page, page.predicted_boxes, moderated, signed));
		}
	}
	return pages;
}

function boxBbox(box: IDataObject): number[] | null {
	return asBbox([box.xmin, box.ymin, box.xmax, box.ymax]);
}

/** One v2 page as extracted data: `field` boxes become fields, `table` boxes tables. */
export function pageFromV2(page: V2Page): ExtractedPage {
	const fields: ExtractedPage['fields'] = [];
	const tables: ExtractedTable[] = [];
	for (const box of page.boxes) {
		if (box.type === 'table' || Array.isArray(box.cells)) {
			tables.push({
				table_id: asText(box.id ?? `${page.page_id ?? 'page'}-table-${tables.length + 1}`),
				cells: asArray(box.cells).map((rawCell, index) => {
					const cell = asObject(rawCell);
					return cellFrom(cell, index, cell.label ?? cell.header);
				}),
			});
			continue;
		}
		fields.push({
			field: asText(box.label),
			value: asText(box.ocr_text),
			confidence: asNumber(box.score),
			bbox: boxBbox(box),
			verification_status: asNullableText(box.status ?? box.verification_status),
			is_moderated: page.moderated,
			field_data_id: asNullableText(box.id),
		});
	}
	return {
		page_id: page.page_id,
		// Nanonets numbers v2 pages from 0; page_number counts from 1 as in v4.
		page_number: page.page === null ? null : page.page + 1,
		fields,
		tables,
	};
}

/** Pages grouped per input file (request_file_id), in first-seen order, pages in page order. */
export function groupByFile(pages: V2Page[]): V2Page[][] {
	const groups = new Map<string, V2Page[]>();
	pages.forEach((page, index) => {
		const key = page.request_file_id ?? page.input ?? `entry-${index}`;
		const group = groups.get(key);
		if (group) group.push(page);
		else groups.set(key, [page]);
	});
	return [...groups.values()].map((group) => [...group].sort((a, b) => (a.page ?? 0) - (b.page ?? 0)));
}

/** One input file's pages, as the `document` output shows it. */
export function rawV2Document(pages: V2Page[]): IDataObject {
	const first = pages[0];
	const signed = pages.map((page) => page.signed_urls).find((urls) => urls !== null);
	return {
		request_file_id: first.request_file_id,
		input: first.input,
		request_metadata: first.metadata as IDataObject,
		pages: pages.map((page) => page.raw),
		...(signed ? { signed_urls: signed } : {}),
	};
}

export function documentFromV2(pages: V2Page[]): ExtractedDocument {
	const first = pages[0];
	// Lower-case as v4's statuses ("Success" -> "success"), so both APIs give one Simplified shape.
	const statuses = [...new Set(pages.map((page) => page.status?.toLowerCase() ?? null).filter((status) => status !== null))];
	const uploaded = pages.map((page) => page.uploaded_at).filter((time) => time !== null).sort();
	return {
		document_id: first.request_file_id,
		status: statuses.length === 1 ? statuses[0] : statuses.length ? statuses.join(', ') : null,
		original_document_name: first.input,
		uploaded_at: uploaded[0] ?? null,
		metadata: first.metadata,
		pages: pages.map(pageFromV2),
	};
}

/** A v2 OCR answer (any shape) as output items in the chosen format: one document per input file. */
export function v2PredictionItems(pages: V2Page[], format: OutputFormat, options: ShapeOptions = {}): IDataObject[] {
	return groupByFile(pages).flatMap((group) => toItems(rawV2Document(group), documentFromV2(group), format, options));
}

/** Image classification: one item per input with its labels, best first. */
export function classificationItems(answer: unknown, inputs: string[]): IDataObject[] {
	const body = asObject(answer);
	return asArray(body.result).map((rawEntry, index) => {
		const entry = asObject(rawEntry);
		const labels = asArray(entry.prediction)
			.map(asObject)
			.map((prediction) => ({ label: asText(prediction.label), probability: asNumber(prediction.probability) ?? 0 }))
			.sort((a, b) => b.probability - a.probability);
		return {
			input: asNullableText(entry.input ?? entry.file) ?? inputs[index] ?? null,
			message: asNullableText(entry.message),
			labels,
			best_label: labels[0]?.label ?? null,
			best_probability: labels[0]?.probability ?? null,
		};
	});
}

/**
 * Full text: one item per file, with all pages' text joined for convenience. Each page gains
 * `page_number`, counted from 1 as everywhere else (Nanonets' own `page` counts from 0).
 */
export function fullTextItems(answer: unknown): IDataObject[] {
	const body = asObject(answer);
	// Nanonets' own recorded answer says `results`; the konfig description says `result`.
	const key = FULL_TEXT_RESULT_KEYS.find((name) => body[name] !== undefined) ?? FULL_TEXT_RESULT_KEYS[0];
	return asArray(body[key]).map((rawEntry) => {
		const entry = asObject(rawEntry);
		const pages = asArray(entry.page_data).map(asObject);
		return {
			filename: asNullableText(entry.filename ?? entry.input),
			text: pages.map((page) => asText(page.raw_text)).join('\n'),
			pages: pages.map((page, index): IDataObject => ({ page_number: (asNumber(page.page) ?? index) + 1, ...page })),
			...(entry.message !== undefined ? { message: entry.message } : {}),
		};
	});
}

/** An input (a URL, usually) that Nanonets did not process, with its reason. */
export interface V2InputFailure {
	input: string;
	message: string;
}

/**
 * The inputs of a prediction that came back without pages (Nanonets answers 202 when some URLs
 * could not be downloaded): those the answer names with a failure message, and, when fewer files
 * came back than URLs were sent, every URL no page came back for.
 */
export function failedV2Inputs(answer: unknown, pages: V2Page[], urls: string[]): V2InputFailure[] {
	const failures = new Map<string, string>();
	for (const entry of asArray(asObject(answer).result).map(asObject)) {
		const name = asNullableText(entry.input ?? entry.filename ?? entry.file);
		const message = asNullableText(entry.message);
		const empty = Array.isArray(entry.result) ? entry.result.length === 0 : asArray(entry.prediction).length === 0;
		if (name !== null && empty && message !== null && !/^(success|pending)/i.test(message)) failures.set(name, message);
	}
	const files = new Set(pages.map((page) => page.request_file_id ?? page.input));
	if (files.size < urls.length) {
		const seen = new Set(pages.map((page) => page.input));
		for (const url of urls) if (!seen.has(url) && !failures.has(url)) failures.set(url, 'Nanonets returned no result for this URL');
	}
	return [...failures].map(([input, message]) => ({ input, message }));
}
