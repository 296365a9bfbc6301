/**
 * The "Parse Values" option: amounts become numbers and dates ISO `YYYY-MM-DD`. Pure functions.
 *
 * Which fields hold amounts or dates is read from the field's name (Nanonets gives no types):
 * its words, split at `_`, `-`, spaces and camelCase. A field is a date field if a word is one of
 * DATE_WORDS; otherwise an amount field if a word is one of AMOUNT_WORDS and none is one of
 * IDENTIFIER_WORDS (so `tax_id` and `total_pages_text` stay text). Other fields are left alone.
 */

export type ValueKind = 'amount' | 'date';

const DATE_WORDS = new Set(['date', 'dated', 'dob', 'expiry', 'expiration']);
const AMOUNT_WORDS = new Set([
	'amount', 'amt', 'total', 'subtotal', 'sum', 'price', 'cost', 'fee', 'fees', 'charge', 'charges',
	'tax', 'vat', 'gst', 'hst', 'balance', 'discount', 'freight', 'shipping', 'net', 'gross', 'paid',
	'due', 'deposit', 'quantity', 'qty', 'tip', 'rounding',
]);
const IDENTIFIER_WORDS = new Set([
	'id', 'number', 'no', 'num', 'nr', 'code', 'name', 'terms', 'currency', 'type', 'method', 'address',
	'text', 'words', 'percent', 'percentage', 'rate', 'status',
]);

function nameWords(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word !== '');
}

/** What a field holds, judged by its name; `null` for fields that are not parsed. */
export function valueKindOf(fieldName: string): ValueKind | null {
	const words = nameWords(fieldName);
	if (words.some((word) => DATE_WORDS.has(word))) return 'date';
	if (words.some((word) => IDENTIFIER_WORDS.has(word))) return null;
	return words.some((word) => AMOUNT_WORDS.has(word)) ? 'amount' : null;
}

/** Currency signs and codes that may stand before or after an amount. */
const CURRENCY = /^(?:[A-Z]{3}|[$€£¥₹₩₽₺₪₫₱฿¢]|US\$|C\$|A\$|R\$|CHF|Fr\.?|kr\.?|zł|Rs\.?)/;
const CURRENCY_END = /(?:[A-Z]{3}|[$€£¥₹₩₽₺₪₫₱฿¢]|CHF|kr\.?|zł|Rs\.?)$/;

/**
 * An amount as a number, or `null` if the text is not one.
 * - Currency signs or ISO codes before or after are ignored; `(12.00)`, `-12.00` and `12.00-` are negative.
 * - With both `,` and `.`, the last one is the decimal separator ("1.234,56" and "1,234.56" are 1234.56).
 * - A lone `,` followed by exactly three digits groups thousands ("1,234" is 1234); otherwise it is
 *   the decimal separator ("12,5" is 12.5). A lone `.` is always decimal ("1.234" is 1.234).
 * - Thousands may also be grouped by spaces or `'` ("1 234,56", "1'234.56"); groups have three
 *   digits, or two in Indian grouping ("1,23,456.00").
 */
export function parseAmount(text: string): number | null {
	let value = text.replace(/[\u00a0\u202f]/g, ' ').trim();
	let negative = false;
	if (/^\(.*\)$/.test(value)) {
		negative = true;
		value = value.slice(1, -1).trim();
	}
	for (let changed = true; changed; ) {
		const before = value;
		if (value.startsWith('-') || value.startsWith('−')) {
			negative = !negative;
			value = value.slice(1).trim();
		} else if (value.endsWith('-')) {
			negative = !negative;
			value = value.slice(0, -1).trim();
		} else if (value.startsWith('+')) {
			value = value.slice(1).trim();
		}
		value = value.replace(CURRENCY, '').replace(CURRENCY_END, '').trim();
		changed = value !== before;
	}
	if (!/^\d[\d.,' ]*$/.test(value) || !/\d$/.test(value)) return null;

	const lastComma = value.lastIndexOf(',');
	const lastDot = value.lastIndexOf('.');
	let decimal: ',' | '.' | null = null;
	if (lastComma >= 0 && lastDot >= 0) decimal = lastComma > lastDot ? ',' : '.';
	else if (lastComma >= 0) decimal = value.split(',').length === 2 && !/,\d{3}$/.test(value) ? ',' : null;
	else if (lastDot >= 0) decimal = value.split('.').length === 2 ? '.' : null;

	const [integerPart, fraction = '', ...rest] = decimal ? value.split(decimal) : [value];
	if (rest.length || !/^\d*$/.test(fraction)) return null;
	const groups = integerPart.split(/[.,' ]/);
	if (groups.length > 1) {
		// Grouping must be consistent: thousands ("1,234,567") or Indian lakhs ("12,34,567.00").
		const separators = new Set(integerPart.replace(/\d/g, ''));
		const thousands = /^\d{1,3}$/.test(groups[0]) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
		const lakhs = /^\d{1,2}$/.test(groups[0]) && groups.slice(1, -1).every((g) => /^\d{2}$/.test(g)) && /^\d{3}$/.test(groups[groups.length - 1]);
		if (separators.size !== 1 || !(thousands || lakhs)) return null;
	}
	const number = Number(`${groups.join('')}${fraction ? `.${fraction}` : ''}`);
	if (!Number.isFinite(number)) return null;
	return negative && number !== 0 ? -number : number;
}

const MONTHS: Record<string, number> = {
	jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
	jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
	nov: 11, november: 11, dec: 12, december: 12,
};
const WEEKDAY = /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+/i;

function fullYear(text: string): number {
	const year = Number(text);
	// Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 (as POSIX strptime reads %y).
	if (text.length <= 2) return year < 70 ? 2000 + year : 1900 + year;
	return year;
}

function isoDate(year: number, month: number, day: number): string | null {
	if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day > daysInMonth) return null;
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as ISO `YYYY-MM-DD`, or `null` if the text is not one. A time after the date is ignored.
 * - Year first: "2026-03-12", "2026/3/12", "2026.03.12", "2026-03-12T10:00:00Z".
 * - Numbers with the year last ("12-03-2026", "12/03/26", "12.03.2026") are read day first, the
 *   way most of the world writes them: "12-03-2026" is 12 March 2026. Only when the first number
 *   cannot be a day's month partner, that is when the second is above 12 ("03/25/2026"), is it
 *   read month first (25 March 2026).
 * - Month names in English, full or short, in either order: "March 12, 2026", "12 Mar 2026",
 *   "12-Mar-26", "Thursday, 12th March 2026".
 */
export function parseDate(text: string): string | null {
	const value = text.replace(/[\u00a0\u202f]/g, ' ').trim().replace(WEEKDAY, '');

	let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/.exec(value);
	if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));

	match = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:$|\s)/.exec(value);
	if (match) {
		const first = Number(match[1]);
		const second = Number(match[3]);
		const year = fullYear(match[4]);
		return second > 12 ? isoDate(year, first, second) : isoDate(year, second, first);
	}

	const words = value.toLowerCase().replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/[,.]/g, ' ').split(/[\s/-]+/).filter(Boolean);
	if (words.length === 3) {
		const [a, b, c] = words;
		if (MONTHS[a] && /^\d{1,2}$/.test(b) && /^\d{2}(\d{2})?$/.test(c)) return isoDate(fullYear(c), MONTHS[a], Number(b));
		if (/^\d{1,2}$/.test(a) && MONTHS[b] && /^\d{2}(\d{2})?$/.test(c)) return isoDate(fullYear(c), MONTHS[b], Number(a));
		if (/^\d{4}$/.test(a) && MONTHS[b] && /^\d{1,2}$/.test(c)) return isoDate(Number(a), MONTHS[b], Number(c));
	}
	return null;
}

/** A field's value, parsed when its name says it is an amount or a date. */
export interface ParsedValue {
	value: string | number;
	/** The field is an amount or date field, but this value could not be read as one. */
	unparsed: boolean;
}

export function parseFieldValue(fieldName: string, text: string): ParsedValue {
	const kind = valueKindOf(fieldName);
	if (kind === null || text.trim() === '') return { value: text, unparsed: false };
	const parsed = kind === 'amount' ? parseAmount(text) : parseDate(text);
	return parsed === null ? { value: text, unparsed: true } : { value: parsed, unparsed: false };
}
