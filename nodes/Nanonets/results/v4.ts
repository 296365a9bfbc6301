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
} from './extracted';

/** A v4 workflow page as extracted data. */
export function pageFromV4(raw: unknown): ExtractedPage {
	const page = asObject(raw);
	const data = asObject(page.data);
	const fields: ExtractedPage['fields'] = [];
	for (const [name, values] of Object.entries(asObject(data.fields))) {
		for (const rawValue of asArray(values)) {
			const value = asObject(rawValue);
			fields.push({
				field: name,
				value: asText(value.value),
				confidence: asNumber(value.confidence),
				bbox: asBbox(value.bbox),
				verification_status: asNullableText(value.verification_status),
				is_moderated: asBoolean(value.is_moderated),
				field_data_id: asNullableText(value.field_data_id),
			});
		}
	}
	const tables = asArray(data.tables).map((rawTable, tableIndex) => {
		const table = asObject(rawTable);
		return {
			table_id: asText(table.table_id ?? `table_${tableIndex + 1}`),
			cells: asArray(table.cells).map((rawCell, index) => cellFrom(rawCell, index, asObject(rawCell).header)),
		};
	});
	return {
		page_id: asNullableText(page.page_id),
		page_number: asNumber(page.page_number),
		fields,
		tables,
	};
}

function byPageNumber(a: ExtractedPage, b: ExtractedPage): number {
	return (a.page_number ?? Infinity) - (b.page_number ?? Infinity);
}

/** A v4 workflow document as extracted data. */
export function documentFromV4(raw: unknown): ExtractedDocument {
	const document = asObject(raw);
	return {
		document_id: asNullableText(document.document_id),
		status: asNullableText(document.status),
		original_document_name: asNullableText(document.original_document_name),
		uploaded_at: asNullableText(document.uploaded_at),
		metadata: document.metadata ?? null,
		// Fields with several values are listed in page order, whatever order the pages came in.
		pages: asArray(document.pages).map(pageFromV4).sort(byPageNumber),
	};
}
