import type { IDataObject } from 'n8n-workflow';

import type { ExtractedCell, ExtractedDocument, ExtractedPage, ExtractedTable } from './extracted';
import { parseFieldValue } from './parseValues';

export type OutputFormat = 'document' | 'simplified' | 'fields' | 'tableRows';

export const outputFormats: OutputFormat[] = ['document', 'simplified', 'fields', 'tableRows'];

/** Choices of the Options collection that change how extracted data is shaped. */
export interface ShapeOptions {
	/** Document fields whose values are copied onto every table row (Table Rows). */
	rowFields?: string[];
	/** Amounts become numbers and dates `YYYY-MM-DD` (Simplified, Fields, copied row fields). */
	parseValues?: boolean;
	/** Fields below this confidence (0..1) need a human: Simplified and Fields items say so. */
	minConfidence?: number;
}

/**
 * Whether a field value needs a human under `minConfidence`. A value without a confidence
 * cannot be judged, so it is flagged too: a missing score never passes silently.
 */
export function needsReview(confidence: number | null, minConfidence: number): boolean {
	return confidence === null || confidence < minConfidence;
}

/** Names of the fields whose lowest confidence on any page is below `minConfidence`, in page order. */
export function lowConfidenceFields(pages: ExtractedPage[], minConfidence: number): string[] {
	const names = new Set<string>();
	for (const page of pages) {
		for (const field of page.fields) if (needsReview(field.confidence, minConfidence)) names.add(field.field);
	}
	return [...names];
}

/** The keys every table-row item ends with, after the table's own columns. */
const TABLE_ROW_KEYS = ['original_document_name', 'metadata', 'document_id', 'page_id', 'page_number', 'table_id', 'row'];
/** Keys a column may not take, in table rows and in Simplified's tables. */
const RESERVED_COLUMNS = new Set([...TABLE_ROW_KEYS, 'unparsed_fields']);

/** Sets a key named by the API as an own property, so "__proto__" stays data and never a prototype. */
function setOwn(target: IDataObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function hasOwn(target: IDataObject, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(target, key);
}

/**
 * Metadata sent as a JSON string comes back as one: give users the object. Empty metadata
 * (missing, "", {}) is `null`, whichever API it came from.
 */
export function readableMetadata(metadata: unknown): unknown {
	if (metadata === undefined || metadata === null) return null;
	if (typeof metadata === 'object') return Object.keys(metadata).length === 0 ? null : metadata;
	if (typeof metadata !== 'string') return metadata;
	const text = metadata.trim();
	if (text === '') return null;
	if (!text.startsWith('{') && !text.startsWith('[')) return metadata;
	try {
		return readableMetadata(JSON.parse(text));
	} catch {
		return metadata;
	}
}

/**
 * A header as an object key that keeps the columns in order and clear of the id keys: JavaScript
 * puts integer-like keys ("2024") before all others, so those get a prefix, as do reserved names.
 */
function columnName(header: string, reserved: Set<string>): string {
	return reserved.has(header) || /^(0|[1-9]\d{0,8})$/.test(header) ? `column_${header}` : header;
}

/**
 * Gives every cell a row. Cells without `row` follow the cell before them; when no cell of the
 * table has one, a new row starts where a column repeats (a `col` not after the previous one,
 * or a header already in the row), the way cells are listed row by row.
 */
function withRows(cells: ExtractedCell[]): Array<ExtractedCell & { row: number }> {
	const inferAll = cells.every((cell) => cell.row === null);
	let row = 0;
	let previousCol: number | null = null;
	let headers = new Set<string>();
	return cells.map((cell) => {
		if (cell.row !== null) {
			row = cell.row;
		} else if (inferAll) {
			const repeats = cell.col !== null && previousCol !== null ? cell.col <= previousCol : headers.has(cell.header);
			if (repeats) {
				row++;
				headers = new Set();
			}
			previousCol = cell.col;
			headers.add(cell.header);
		}
		return { ...cell, row };
	});
}

/**
 * Cells grouped into rows, in row order; each row maps column -> text, columns in `col` order.
 * Two cells with the same header in one row are both kept: `amount`, `amount_2`.
 */
export function tableToRows(table: ExtractedTable, reserved: Set<string> = RESERVED_COLUMNS): Array<{ row: number; cells: IDataObject }> {
	const rows = new Map<number, ExtractedCell[]>();
	for (const cell of withRows(table.cells)) {
		const list = rows.get(cell.row);
		if (list) list.push(cell);
		else rows.set(cell.row, [cell]);
	}
	return [...rows.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([row, cells]) => {
			// Stable: cells without `col` keep their place after the numbered ones.
			const ordered = [...cells].sort((a, b) => (a.col ?? Infinity) - (b.col ?? Infinity));
			const object: IDataObject = {};
			for (const cell of ordered) {
				const base = columnName(cell.header, reserved);
				let name = base;
				for (let n = 2; hasOwn(object, name); n++) name = `${base}_${n}`;
				setOwn(object, name, cell.text);
			}
			return { row, cells: object };
		});
}

type FieldValue = string | number;

function shapeValue(field: string, text: string, options: ShapeOptions, unparsed: Set<string>): FieldValue {
	if (!options.parseValues) return text;
	const parsed = parseFieldValue(field, text);
	if (parsed.unparsed) unparsed.add(field);
	return parsed.value;
}

/** Each field's distinct values, in page order. */
function fieldValues(pages: ExtractedPage[], options: ShapeOptions, unparsed: Set<string>): Map<string, FieldValue[]> {
	const values = new Map<string, FieldValue[]>();
	for (const page of pages) {
		for (const field of page.fields) {
			const value = shapeValue(field.field, field.value, options, unparsed);
			const list = values.get(field.field);
			if (!list) values.set(field.field, [value]);
			else if (!list.includes(value)) list.push(value);
		}
	}
	return values;
}

/**
 * One item per document. A field is one value, or an array only when the document holds
 * different values for it: the same value repeated on several pages counts once, so a field
 * keeps one type across documents of the same kind.
 */
export function toSimplified(document: ExtractedDocument, options: ShapeOptions = {}): IDataObject {
	const unparsed = new Set<string>();
	const fields: IDataObject = {};
	for (const [name, list] of fieldValues(document.pages, options, unparsed)) setOwn(fields, name, list.length === 1 ? list[0] : list);
	const tables: IDataObject[][] = [];
	for (const page of document.pages) {
		for (const table of page.tables) {
			tables.push(tableToRows(table).map(({ cells }) => ({ ...cells, table_id: table.table_id, page_number: page.page_number })));
		}
	}
	return {
		document_id: document.document_id,
		status: document.status === null ? null : document.status.toLowerCase(),
		original_document_name: document.original_document_name,
		uploaded_at: document.uploaded_at,
		metadata: readableMetadata(document.metadata) as IDataObject,
		fields,
		tables,
		...(options.parseValues ? { unparsed_fields: [...unparsed] } : {}),
		...reviewFlags(document, options),
	};
}

function reviewFlags(document: ExtractedDocument, options: ShapeOptions): IDataObject {
	if (options.minConfidence === undefined) return {};
	const low = lowConfidenceFields(document.pages, options.minConfidence);
	return { needs_review: low.length > 0, low_confidence_fields: low };
}

export function toFieldItems(document: ExtractedDocument, options: ShapeOptions = {}): IDataObject[] {
	const items: IDataObject[] = [];
	for (const page of document.pages) {
		for (const field of page.fields) {
			const unparsed = new Set<string>();
			items.push({
				document_id: document.document_id,
				page_id: page.page_id,
				page_number: page.page_number,
				field: field.field,
				value: shapeValue(field.field, field.value, options, unparsed),
				confidence: field.confidence,
				bbox: field.bbox,
				verification_status: field.verification_status,
				is_moderated: field.is_moderated,
				field_data_id: field.field_data_id,
				...(options.parseValues ? { unparsed_fields: [...unparsed] } : {}),
				...(options.minConfidence === undefined ? {} : { needs_review: needsReview(field.confidence, options.minConfidence) }),
			});
		}
	}
	return items;
}

/** A row field's value on a page: the page's own value if it has one, else the document's first. */
function rowFieldValue(document: ExtractedDocument, page: ExtractedPage, name: string): string | null {
	const own = page.fields.find((field) => field.field === name);
	if (own) return own.value;
	for (const other of document.pages) {
		const found = other.fields.find((field) => field.field === name);
		if (found) return found.value;
	}
	return null;
}

/**
 * One item per table row, ready for a sheet: the table's columns first (in `col` order), then
 * the fields chosen in Row Fields, then the file name, metadata and the ids.
 */
export function toTableRowItems(document: ExtractedDocument, options: ShapeOptions = {}): IDataObject[] {
	const rowFields = [...new Set(options.rowFields ?? [])];
	const reserved = new Set([...RESERVED_COLUMNS, ...rowFields]);
	const metadata = readableMetadata(document.metadata);
	const items: IDataObject[] = [];
	for (const page of document.pages) {
		const unparsed = new Set<string>();
		const copied: IDataObject = {};
		for (const name of rowFields) {
			const text = rowFieldValue(document, page, name);
			// A name that is one of the row's own keys gets a prefix, never overwrites an id.
			setOwn(copied, RESERVED_COLUMNS.has(name) ? `field_${name}` : name, text === null ? null : shapeValue(name, text, options, unparsed));
		}
		for (const table of page.tables) {
			for (const { row, cells } of tableToRows(table, reserved)) {
				const item: IDataObject = { ...cells };
				for (const key of Object.keys(copied)) setOwn(item, key, copied[key]);
				if (options.parseValues && rowFields.length) item.unparsed_fields = [...unparsed];
				Object.assign(item, {
					original_document_name: document.original_document_name,
					metadata,
					document_id: document.document_id,
					page_id: page.page_id,
					page_number: page.page_number,
					table_id: table.table_id,
					row,
				});
				items.push(item);
			}
		}
	}
	return items;
}

/**
 * Turns one API answer into output items. `raw` is the answer as the API gave it (for the
 * `document` format), `extracted` the same answer in the common shape.
 */
export function toItems(raw: IDataObject, extracted: ExtractedDocument, format: OutputFormat, options: ShapeOptions = {}): IDataObject[] {
	switch (format) {
		case 'simplified':
			return [toSimplified(extracted, options)];
		case 'fields':
			return toFieldItems(extracted, options);
		case 'tableRows':
			return toTableRowItems(extracted, options);
		default:
			return [raw];
	}
}
