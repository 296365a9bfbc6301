'use strict';
// Deterministic "extraction": what the sandbox pretends Nanonets read from a file.
const crypto = require('node:crypto');

const TABLE_HEADERS = ['description', 'quantity', 'unit_price', 'amount'];

function hashOf(buffer) {
	return crypto.createHash('sha256').update(buffer).digest('hex');
}

/** Reads the `%SANDBOX {json}` line a generated sample PDF carries, if any. */
function readSpec(file) {
	const head = file.subarray(0, 4096).toString('latin1');
	const line = /^%SANDBOX (.*)$/m.exec(head);
	if (!line) return {};
	try {
		return JSON.parse(line[1]);
	} catch {
		return {};
	}
}

/** Default invoice content derived from the file's hash, so equal files give equal results. */
function defaultInvoice(hash) {
	const n = parseInt(hash.slice(0, 6), 16);
	const rows = [];
	const count = 2 + (n % 3);
	let total = 0;
	for (let i = 0; i < count; i++) {
		const quantity = 1 + ((n >> i) % 5);
		const price = 10 + ((n >> (i + 3)) % 90);
		total += quantity * price;
		rows.push([`Item ${String.fromCharCode(65 + i)}`, String(quantity), price.toFixed(2), (quantity * price).toFixed(2)]);
	}
	return {
		fields: {
			invoice_number: `INV-${String(n % 100000).padStart(5, '0')}`,
			invoice_date: '2026-11-01',
			seller_name: 'Acme Supplies Ltd',
			total_amount: total.toFixed(2),
		},
		rows,
	};
}

/**
 * The extraction of a document of `pageCount` pages: per page, fields ({name: [values]}) and
 * table rows. A spec may give `pages: [{ fields, rows }]` for full control, or `fields` and
 * `rows` (fields on page 1, rows spread over the pages).
 */
function extractionFor(file, pageCount, spec) {
	const hash = hashOf(file);
	if (Array.isArray(spec.pages)) {
		return Array.from({ length: pageCount }, (_, i) => ({
			fields: spec.pages[i]?.fields ?? {},
			rows: spec.pages[i]?.rows ?? [],
		}));
	}
	const invoice = defaultInvoice(hash);
	const fields = spec.fields ?? invoice.fields;
	const rows = spec.rows ?? invoice.rows;
	const perPage = Math.ceil(rows.length / pageCount) || 0;
	return Array.from({ length: pageCount }, (_, i) => ({
		fields: i === 0 ? fields : {},
		rows: rows.slice(i * perPage, (i + 1) * perPage),
	}));
}

function confidenceFor(seed) {
	return Number((0.9 + (parseInt(hashOf(Buffer.from(seed)).slice(0, 2), 16) % 10) / 100).toFixed(2));
}

/** A v4 page object with fields and one table. */
/** `confidences` (field name -> 0..1, from a spec's `confidence`) overrides the made-up scores. */
function v4Page(documentId, index, extracted, headers = TABLE_HEADERS, confidences = {}) {
	const pageId = `${documentId}-p${index + 1}`;
	const fields = {};
	let y = 100;
	for (const [name, value] of Object.entries(extracted.fields)) {
		const values = Array.isArray(value) ? value : [value];
		fields[name] = values.map((text, k) => {
			y += 40;
			return {
				field_data_id: `${pageId}-${name}-${k}`,
				value: String(text),
				confidence: confidences?.[name] ?? confidenceFor(`${pageId}${name}${k}`),
				bbox: [100, y, 400, y + 30],
				verification_status: 'success',
				verification_message: '',
				is_moderated: false,
			};
		});
	}
	const tables = [];
	if (extracted.rows.length) {
		const cells = [];
		extracted.rows.forEach((row, r) => {
			row.forEach((text, c) => {
				cells.push({
					cell_id: `${pageId}-t1-${r}-${c}`,
					row: r,
					col: c,
					header: headers[c] ?? `column_${c}`,
					text: String(text),
					bbox: [100 + c * 150, 400 + r * 30, 240 + c * 150, 425 + r * 30],
					verification_status: 'success',
					verification_message: '',
					is_moderated: false,
				});
			});
		});
		tables.push({ table_id: `${pageId}-t1`, bbox: [100, 400, 800, 400 + extracted.rows.length * 30], cells });
	}
	return { page_id: pageId, page_number: index + 1, image_url: `https://sandbox.invalid/pages/${pageId}.jpg`, data: { fields, tables } };
}

module.exports = { TABLE_HEADERS, hashOf, readSpec, extractionFor, v4Page, confidenceFor };
