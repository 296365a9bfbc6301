import type { IDataObject } from 'n8n-workflow';

/**
 * One shape for extracted data, whichever API it came from, so that the four output formats
 * are written once. v4 documents and v2 OCR predictions are converted into it.
 */
export interface ExtractedField {
	field: string;
	value: string;
	confidence: number | null;
	bbox: number[] | null;
	verification_status: string | null;
	is_moderated: boolean | null;
	field_data_id: string | null;
}

export interface ExtractedCell {
	/** `null` when the answer gives none: the row is then inferred from the cells' order. */
	row: number | null;
	col: number | null;
	header: string;
	text: string;
}

export interface ExtractedTable {
	table_id: string;
	cells: ExtractedCell[];
}

export interface ExtractedPage {
	page_id: string | null;
	page_number: number | null;
	fields: ExtractedField[];
	tables: ExtractedTable[];
}

export interface ExtractedDocument {
	document_id: string | null;
	status: string | null;
	original_document_name: string | null;
	uploaded_at: string | null;
	metadata: unknown;
	pages: ExtractedPage[];
}

export function asObject(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};
}

export function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

export function asText(value: unknown): string {
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function asNullableText(value: unknown): string | null {
	return value === null || value === undefined ? null : asText(value);
}

export function asNumber(value: unknown): number | null {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isFinite(number) ? number : null;
}

/** A table cell from either API; a cell without a header is named after its column. */
export function cellFrom(rawCell: unknown, index: number, header: unknown): ExtractedCell {
	const cell = asObject(rawCell);
	const col = asNumber(cell.col);
	return {
		row: asNumber(cell.row),
		col,
		header: asText(header) || `column_${col ?? index + 1}`,
		text: asText(cell.text),
	};
}

export function asBbox(value: unknown): number[] | null {
	if (!Array.isArray(value)) return null;
	const numbers = value.map(asNumber);
	return numbers.every((n) => n !== null) ? (numbers as number[]) : null;
}

export function asBoolean(value: unknown): boolean | null {
	return typeof value === 'boolean' ? value : null;
}
