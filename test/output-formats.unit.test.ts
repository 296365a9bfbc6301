/** Unit tests of the pure output shaping (no engine): edge cases that are awkward to stage. */
import { toFieldItems, toSimplified, toTableRowItems } from '../nodes/Nanonets/results/formats';
import { documentFromV4 } from '../nodes/Nanonets/results/v4';
import { fullTextItems } from '../nodes/Nanonets/results/v2';

const cell = (row: number, col: number, header: string, text: string) => ({ row, col, header, text });

test('cells arriving out of order are put back in row order', () => {
	const document = documentFromV4({
		document_id: 'd1',
		pages: [{ page_id: 'p1', page_number: 1, data: { fields: {}, tables: [{ table_id: 't1', cells: [cell(1, 0, 'item', 'B'), cell(0, 0, 'item', 'A'), cell(1, 1, 'qty', '2'), cell(0, 1, 'qty', '1')] }] } }],
	});
	expect(toTableRowItems(document).map((r) => [r.row, r.item, r.qty])).toEqual([
		[0, 'A', '1'],
		[1, 'B', '2'],
	]);
});

test('a column named like a fixed key keeps both values', () => {
	const document = documentFromV4({
		document_id: 'd1',
		pages: [{ page_id: 'p1', page_number: 1, data: { tables: [{ table_id: 't1', cells: [cell(0, 0, 'row', 'R1'), cell(0, 1, 'document_id', 'X')] }] } }],
	});
	const [row] = toTableRowItems(document);
	expect(row).toMatchObject({ document_id: 'd1', row: 0, column_row: 'R1', column_document_id: 'X' });
});

test('a cell without a header is named after its column', () => {
	const document = documentFromV4({ document_id: 'd1', pages: [{ data: { tables: [{ cells: [{ row: 0, col: 3, text: 'x' }] }] } }] });
	expect(toTableRowItems(document)[0]).toMatchObject({ table_id: 'table_1', column_3: 'x' });
});

test('a list entry with null fields and tables gives no field items and an empty simplified document', () => {
	const document = documentFromV4({ document_id: 'd1', status: 'pending', metadata: '{"a":1}', pages: [{ page_id: 'p', data: { fields: null, tables: null } }] });
	expect(toFieldItems(document)).toEqual([]);
	expect(toSimplified(document)).toMatchObject({ document_id: 'd1', status: 'pending', metadata: { a: 1 }, fields: {}, tables: [] });
});

test('text metadata stays text; numbers and nulls in values become text', () => {
	const document = documentFromV4({
		document_id: 'd1',
		metadata: 'batch 7',
		pages: [{ page_number: 1, data: { fields: { total: [{ value: 12.5 }], empty: [{ value: null }] } } }],
	});
	expect(toSimplified(document)).toMatchObject({ metadata: 'batch 7', fields: { total: '12.5', empty: '' } });
	expect(toFieldItems(document)[0]).toMatchObject({ field: 'total', value: '12.5', confidence: null, bbox: null });
});

test('pages listed out of order still give multi-page values in page order', () => {
	const page = (n: number, value: string) => ({ page_id: `p${n}`, page_number: n, data: { fields: { note: [{ value }] } } });
	const document = documentFromV4({ document_id: 'd1', pages: [page(2, 'second'), page(1, 'first')] });
	expect(toSimplified(document).fields).toEqual({ note: ['first', 'second'] });
	expect(toFieldItems(document).map((f) => f.page_number)).toEqual([1, 2]);
});

describe('legal but odd table answers', () => {
	const tableDocument = (cells: object[]) =>
		documentFromV4({ document_id: 'd1', pages: [{ page_id: 'p1', page_number: 1, data: { tables: [{ table_id: 't1', cells }] } }] });

	test('two cells with the same header in one row are both kept', () => {
		const [row] = toTableRowItems(tableDocument([cell(0, 0, 'amount', '10.00'), cell(0, 1, 'amount', '12.00'), cell(0, 2, 'amount_2', 'x')]));
		expect(row).toMatchObject({ amount: '10.00', amount_2: '12.00', amount_2_2: 'x' });
		const [simplifiedRow] = toSimplified(tableDocument([cell(0, 0, 'amount', '10.00'), cell(0, 1, 'amount', '12.00')])).tables as object[][];
		expect(simplifiedRow[0]).toMatchObject({ amount: '10.00', amount_2: '12.00' });
	});

	test('columns come in col order, whatever order the cells are listed in', () => {
		const [row] = toTableRowItems(tableDocument([cell(0, 2, 'total', '3'), cell(0, 0, 'item', 'Pen'), cell(0, 1, 'qty', '1')]));
		expect(Object.keys(row).slice(0, 3)).toEqual(['item', 'qty', 'total']);
	});

	test('data columns come first, then the file name, metadata and ids; numeric headers do not jump ahead', () => {
		const [row] = toTableRowItems(tableDocument([cell(0, 0, 'item', 'Pen'), cell(0, 1, '2025', '1'), cell(0, 2, '2026', '2')]));
		expect(Object.keys(row)).toEqual([
			'item',
			'column_2025',
			'column_2026',
			'original_document_name',
			'metadata',
			'document_id',
			'page_id',
			'page_number',
			'table_id',
			'row',
		]);
	});

	test('cells without a row number: a new row starts where a column repeats', () => {
		const noRow = (col: number, header: string, text: string) => ({ col, header, text });
		const rows = toTableRowItems(tableDocument([noRow(0, 'item', 'Pen'), noRow(1, 'qty', '1'), noRow(0, 'item', 'Ink'), noRow(1, 'qty', '4')]));
		expect(rows.map((r) => [r.row, r.item, r.qty])).toEqual([
			[0, 'Pen', '1'],
			[1, 'Ink', '4'],
		]);
		// Without col either, a repeated header starts the next row.
		const byHeader = toTableRowItems(tableDocument([{ header: 'item', text: 'A' }, { header: 'qty', text: '1' }, { header: 'item', text: 'B' }]));
		expect(byHeader.map((r) => [r.row, r.item, r.qty ?? null])).toEqual([
			[0, 'A', '1'],
			[1, 'B', null],
		]);
		// Mixed: a cell without row joins the row of the cell before it.
		const mixed = toTableRowItems(tableDocument([cell(3, 0, 'item', 'A'), { col: 1, header: 'qty', text: '2' }]));
		expect(mixed).toHaveLength(1);
		expect(mixed[0]).toMatchObject({ row: 3, item: 'A', qty: '2' });
	});

	test('Simplified tables keep their table_id and page_number', () => {
		const simplified = toSimplified(tableDocument([cell(0, 0, 'item', 'Pen'), cell(0, 1, 'page_number', 'p.4')]));
		expect(simplified.tables).toEqual([[{ item: 'Pen', column_page_number: 'p.4', table_id: 't1', page_number: 1 }]]);
	});
});

describe('Simplified keeps one type per field', () => {
	test('the same value on several pages is one value; different values are an array', () => {
		const page = (n: number, fields: Record<string, string>) => ({
			page_number: n,
			data: { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [{ value: v }]])) },
		});
		const document = documentFromV4({ document_id: 'd1', pages: [page(1, { invoice_number: 'INV-1', note: 'a' }), page(2, { invoice_number: 'INV-1', note: 'b' })] });
		expect(toSimplified(document).fields).toEqual({ invoice_number: 'INV-1', note: ['a', 'b'] });
	});

	test('status is lower-case and empty metadata is null', () => {
		for (const metadata of ['', '  ', null, undefined, {}, '{}']) {
			expect(toSimplified(documentFromV4({ document_id: 'd', status: 'Success', metadata, pages: [] }))).toMatchObject({ status: 'success', metadata: null });
		}
	});
});

describe('Row Fields and Parse Values', () => {
	const document = documentFromV4({
		document_id: 'd1',
		original_document_name: 'two-invoices.pdf',
		metadata: '{"from":"ap@example.com"}',
		pages: [
			{ page_id: 'p1', page_number: 1, data: { fields: { invoice_number: [{ value: 'A-1' }], invoice_date: [{ value: '12-03-2026' }], seller_name: [{ value: 'Acme' }] }, tables: [{ table_id: 't1', cells: [cell(0, 0, 'item', 'Pen')] }] } },
			{ page_id: 'p2', page_number: 2, data: { fields: { invoice_number: [{ value: 'A-2' }], total_amount: [{ value: 'see page 3' }] }, tables: [{ table_id: 't2', cells: [cell(0, 0, 'item', 'Ink')] }] } },
		],
	});

	test('chosen fields are copied onto every row: the row page\'s own value, else the document\'s first', () => {
		const rows = toTableRowItems(document, { rowFields: ['invoice_number', 'seller_name', 'missing'] });
		expect(rows.map((r) => [r.item, r.invoice_number, r.seller_name, r.missing])).toEqual([
			['Pen', 'A-1', 'Acme', null],
			['Ink', 'A-2', 'Acme', null],
		]);
		expect(rows[0]).toMatchObject({ original_document_name: 'two-invoices.pdf', metadata: { from: 'ap@example.com' } });
		expect(Object.keys(rows[0]).slice(0, 5)).toEqual(['item', 'invoice_number', 'seller_name', 'missing', 'original_document_name']);
	});

	test('a row field named like an id key never overwrites the id', () => {
		const [row] = toTableRowItems(document, { rowFields: ['document_id'] });
		expect(row).toMatchObject({ document_id: 'd1', field_document_id: null });
	});

	test('Parse Values reads dates and amounts; what it cannot read stays text and is named', () => {
		const simplified = toSimplified(document, { parseValues: true });
		expect(simplified.fields).toMatchObject({ invoice_date: '2026-03-12', total_amount: 'see page 3' });
		expect(simplified.unparsed_fields).toEqual(['total_amount']);
		const fields = toFieldItems(document, { parseValues: true });
		expect(fields.find((f) => f.field === 'invoice_date')).toMatchObject({ value: '2026-03-12', unparsed_fields: [] });
		expect(fields.find((f) => f.field === 'total_amount')).toMatchObject({ value: 'see page 3', unparsed_fields: ['total_amount'] });
		const rows = toTableRowItems(document, { rowFields: ['invoice_date', 'total_amount'], parseValues: true });
		expect(rows.map((r) => [r.invoice_date, r.total_amount, r.unparsed_fields])).toEqual([
			['2026-03-12', 'see page 3', ['total_amount']],
			['2026-03-12', 'see page 3', ['total_amount']],
		]);
		// Off by default: values stay as Nanonets read them and no unparsed_fields key appears.
		expect(toSimplified(document).fields).toMatchObject({ invoice_date: '12-03-2026' });
		expect(toSimplified(document)).not.toHaveProperty('unparsed_fields');
	});
});

test('Full Text reads both published answer shapes, `results` and `result`, and counts pages from 1', () => {
	const entry = { filename: 'scan.png', page_data: [{ page: 0, raw_text: 'Hello' }, { page: 1, raw_text: 'World' }] };
	for (const answer of [{ results: [entry] }, { result: [entry] }]) {
		const [file] = fullTextItems(answer);
		expect(file).toMatchObject({ filename: 'scan.png', text: 'Hello\nWorld' });
		expect((file.pages as Array<{ page_number: number }>).map((page) => page.page_number)).toEqual([1, 2]);
	}
});
