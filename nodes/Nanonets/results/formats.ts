import type { IDataObject } from 'n8n-workflow';

import type { ExtractedDocument, ExtractedTable } from './extracted';

export type OutputFormat = 'document' | 'simplified' | 'fields' | 'tableRows';

export const outputFormats: OutputFormat[] = ['document', 'simplified', 'fields', 'tableRows'];

/** The keys every table-row item starts with; a column with one of these names gets a prefix. */
const TABLE_ROW_KEYS = new Set(['document_id', 'page_id', 'page_number', 'table_id', 'row']);

/** Sets a key named by the API as an own property, so "__proto__" stays data and never a prototype. */
function setOwn(target: IDataObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Metadata sent as a JSON string comes back as one; give users the object. */
function readableMetadata(metadata: unknown): unknown {
	if (typeof metadata !== 'string') return metadata ?? null;
	const text = metadata.trim();
	if (!text.startsWith('{') && !text.startsWith('[')) return metadata;
	try {
		return JSON.parse(text);
	} catch {
		return metadata;
	}
}

/** Cells grouped into rows, in row order; each row maps header -> text. */
export function tableToRows(table: ExtractedTable): Array<{ row: number; cells: IDataObject }> {
	const rows = new Map<number, IDataObject>();
	for (const cell of table.cells) {
		let row = rows.get(cell.row);
		if (!row) {
			row = {};
			rows.set(cell.row, row);
		}
		setOwn(row, cell.header, cell.text);
	}
	return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([row, cells]) => ({ row, cells }));
}

export function toSimplified(document: ExtractedDocument): IDataObject {
	const values = new Map<string, string[]>();
	const tables: IDataObject[][] = [];
	for (const page of document.pages) {
		for (const field of page.fields) {
			const list = values.get(field.field);
			if (list) list.push(field.value);
			else values.set(field.field, [field.value]);
		}
		for (const table of page.tables) tables.push(tableToRows(table).map((row) => row.cells));
	}
	const fields: IDataObject = {};
	for (const [name, list] of values) setOwn(fields, name, list.length === 1 ? list[0] : list);
	return {
		document_id: document.document_id,
		status: document.status,
		original_document_name: document.original_document_name,
		uploaded_at: document.uploaded_at,
		metadata: readableMetadata(document.metadata) as IDataObject,
		fields,
		tables,
	};
}

export function toFieldItems(document: ExtractedDocument): IDataObject[] {
	const items: IDataObject[] = [];
	for (const page of document.pages) {
		for (const field of page.fields) {
			items.push({
				document_id: document.document_id,
				page_id: page.page_id,
				page_number: page.page_number,
				field: field.field,
				value: field.value,
				confidence: field.confidence,
				bbox: field.bbox,
				verification_status: field.verification_status,
				is_moderated: field.is_moderated,
				field_data_id: field.field_data_id,
			});
		}
	}
	return items;
}

export function toTableRowItems(document: ExtractedDocument): IDataObject[] {
	const items: IDataObject[] = [];
	for (const page of document.pages) {
		for (const table of page.tables) {
			for (const { row, cells } of tableToRows(table)) {
				const item: IDataObject = {
					document_id: document.document_id,
					page_id: page.page_id,
					page_number: page.page_number,
					table_id: table.table_id,
					row,
				};
				for (const header of Object.keys(cells)) {
					setOwn(item, TABLE_ROW_KEYS.has(header) ? `column_${header}` : header, cells[header]);
				}
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
export function toItems(raw: IDataObject, extracted: ExtractedDocument, format: OutputFormat): IDataObject[] {
	switch (format) {
		case 'simplified':
			return [toSimplified(extracted)];
		case 'fields':
			return toFieldItems(extracted);
		case 'tableRows':
			return toTableRowItems(extracted);
		default:
			return [raw];
	}
}
