/** The Parse Values rules on real-world formats (pure functions; the engine tests cover the option). */
import { parseAmount, parseDate, parseFieldValue, valueKindOf } from '../nodes/Nanonets/results/parseValues';

test.each([
	['1.234,56', 1234.56],
	['$1,234.56', 1234.56],
	['(12.00)', -12],
	['-12.00', -12],
	['12.00-', -12],
	['€ 1.234,56', 1234.56],
	['1.234,56 €', 1234.56],
	['EUR 1.234,56', 1234.56],
	['1 234,56', 1234.56],
	['1\u00a0234,56', 1234.56],
	["1'234.56", 1234.56],
	['1,234', 1234],
	['1,234,567.89', 1234567.89],
	['1.234.567', 1234567],
	['12,5', 12.5],
	['1.234', 1.234],
	['1,23,456.00', 123456],
	['USD 99', 99],
	['99.90 USD', 99.9],
	['£0.50', 0.5],
	['-$5.00', -5],
	['0', 0],
	['42', 42],
])('amount %j is %d', (text, expected) => {
	expect(parseAmount(text)).toBe(expected);
});

test.each(['', 'N/A', 'USD', '12 pcs', '1,2,3', '12,34,5', '1.234,56,78', 'twelve', '$', '12..5', '1,234.56.78', '--'])(
	'%j is not an amount',
	(text) => {
		expect(parseAmount(text)).toBeNull();
	},
);

test.each([
	['2026-03-12', '2026-03-12'],
	['2026-03-12T10:15:00Z', '2026-03-12'],
	['2026/3/12', '2026-03-12'],
	['2026.03.12', '2026-03-12'],
	// Day first, as most of the world writes it...
	['12-03-2026', '2026-03-12'],
	['12/03/2026', '2026-03-12'],
	['12.03.2026', '2026-03-12'],
	['3/12/26', '2026-12-03'],
	// ...unless the second number cannot be a month.
	['03/25/2026', '2026-03-25'],
	['March 12, 2026', '2026-03-12'],
	['Mar 12 2026', '2026-03-12'],
	['Mar. 12, 2026', '2026-03-12'],
	['12 March 2026', '2026-03-12'],
	['12th March 2026', '2026-03-12'],
	['March 12th, 2026', '2026-03-12'],
	['Thursday, March 12, 2026', '2026-03-12'],
	['12-Mar-2026', '2026-03-12'],
	['12-Mar-26', '2026-03-12'],
	['2026 Mar 12', '2026-03-12'],
	['1 Sept 1999', '1999-09-01'],
	['29/02/2024', '2024-02-29'],
	['01/01/70', '1970-01-01'],
])('date %j is %s', (text, expected) => {
	expect(parseDate(text)).toBe(expected);
});

test.each(['', 'soon', '31/02/2026', '2026-13-01', '32.01.2026', '13/13/2026', 'March 2026', '12 Foo 2026', '29/02/2025'])('%j is not a date', (text) => {
	expect(parseDate(text)).toBeNull();
});

test.each([
	['invoice_date', 'date'],
	['dueDate', 'date'],
	['due_date', 'date'],
	['total_amount', 'amount'],
	['amount_due', 'amount'],
	['subtotal', 'amount'],
	['Total Tax', 'amount'],
	['unitPrice', 'amount'],
	['tax_id', null],
	['invoice_number', null],
	['po_number', null],
	['currency', null],
	['seller_name', null],
	['payment_terms', null],
	['total_in_words', null],
])('the field %j holds %s values', (name, kind) => {
	expect(valueKindOf(name)).toBe(kind);
});

test('a field is parsed by its kind; what cannot be read stays text and is marked', () => {
	expect(parseFieldValue('total_amount', '$1,234.56')).toEqual({ value: 1234.56, unparsed: false });
	expect(parseFieldValue('invoice_date', 'March 12, 2026')).toEqual({ value: '2026-03-12', unparsed: false });
	expect(parseFieldValue('total_amount', 'see attached')).toEqual({ value: 'see attached', unparsed: true });
	expect(parseFieldValue('invoice_date', 'tomorrow')).toEqual({ value: 'tomorrow', unparsed: true });
	// Not an amount or date field: left alone, even when it looks like a number.
	expect(parseFieldValue('invoice_number', '00123')).toEqual({ value: '00123', unparsed: false });
	// An empty value is nothing to parse.
	expect(parseFieldValue('total_amount', '')).toEqual({ value: '', unparsed: false });
});
