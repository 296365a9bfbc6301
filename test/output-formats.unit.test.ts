/** Unit tests of the pure output shaping (no engine): edge cases that are awkward to stage. */
import { toFieldItems, toSimplified, toTableRowItems } from '../nodes/Nanonets/results/formats';
import { documentFromV4 } from '../nodes/Nanonets/results/v4';

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
