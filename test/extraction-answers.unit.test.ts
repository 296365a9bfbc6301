/** The extraction API's answers in each published variant, shaped into items (pure functions, no engine). */
import {
	chatItem,
	classificationItem,
	extractionItem,
	extractionListEntries,
	extractionListHasNext,
	extractionStatus,
	mostFrequentCategory,
} from '../nodes/Nanonets/results/extraction';

test.each([
	['completed', 'completed'],
	['done', 'completed'],
	['success', 'completed'],
	['processing', 'processing'],
	['queued', 'processing'],
	['failed', 'failed'],
	['error', 'failed'],
])('status %s reads as %s', (status, expected) => {
	expect(extractionStatus({ status })).toBe(expected);
});

test('a v1 answer: each format\'s content, JSON as an object, metadata per format', () => {
	const item = extractionItem({
		success: true,
		record_id: 'r1',
		status: 'completed',
		filename: 'a.pdf',
		pages_processed: 2,
		result: {
			markdown: { content: '# A', metadata: {} },
			json: { content: '```json\n{"total": 5}\n```', metadata: { confidence_score: { total: 97 } } },
			csv: { content: 'a,b\n1,2' },
		},
	});
	expect(item).toEqual({
		record_id: 'r1',
		status: 'completed',
		filename: 'a.pdf',
		pages_processed: 2,
		markdown: '# A',
		json: { total: 5 },
		csv: 'a,b\n1,2',
		metadata: { json: { confidence_score: { total: 97 } } },
	});
});

test('a bare result.content (v2 style) is the one requested format', () => {
	expect(extractionItem({ record_id: 'r2', status: 'completed', result: { content: { a: 1 }, page_count: 3 } }, ['json'])).toMatchObject({ json: { a: 1 }, pages_processed: 3 });
});

test('JSON content that is not JSON text stays as it came; a failed record keeps its message', () => {
	expect(extractionItem({ status: 'completed', result: { json: { content: 'not json' } } }).json).toBe('not json');
	expect(extractionItem({ record_id: 'r3', status: 'failed', message: 'unreadable' })).toMatchObject({ status: 'failed', message: 'unreadable' });
});

test('list answers: v1 results with pagination, a bare list, records', () => {
	expect(extractionListEntries({ results: [{ record_id: 'a' }], pagination: { has_next: true } })).toHaveLength(1);
	expect(extractionListEntries([{ record_id: 'a' }, 'junk'])).toHaveLength(1);
	expect(extractionListEntries({ records: [{}, {}] })).toHaveLength(2);
	expect(extractionListHasNext({ pagination: { has_next: false } }, 1, 50, 50)).toBe(false);
	expect(extractionListHasNext({ pagination: { total_pages: 3 } }, 2, 50, 50)).toBe(true);
	expect(extractionListHasNext({ results: [] }, 1, 10, 50)).toBe(false);
});

test('classification: per-page categories with the detailed type, "Other" when none, the most frequent first on a tie', () => {
	const item = classificationItem({
		result: {
			filename: 'x.pdf',
			total_pages: 3,
			pages: [
				{ page_number: 1, identified_category: 'Receipt_Taxi', confidence: 80, reasoning: 'r' },
				{ page_number: 2, category: 'Invoice', confidence: 90, reasoning: 'i' },
				{ page_number: 3, category: 'Invoice', confidence: 91, reasoning: 'i' },
			],
		},
	});
	expect(item.category).toBe('Invoice');
	expect((item.pages as Array<{ category: string }>)[0]).toEqual({ page_number: 1, category: 'Other', identified_category: 'Receipt_Taxi', confidence: 80, reasoning: 'r' });
	expect(mostFrequentCategory(['A', 'B'])).toBe('A');
	expect(mostFrequentCategory([])).toBeNull();
});

test('chat: the first choice\'s text, also when it comes as parts', () => {
	expect(chatItem({ model: 'm', choices: [{ message: { content: 'hi' } }], usage: { total_tokens: 3 } })).toEqual({ answer: 'hi', model: 'm', usage: { total_tokens: 3 } });
	expect(chatItem({ choices: [{ message: { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] } }] }).answer).toBe('ab');
	expect(chatItem({})).toEqual({ answer: '', model: null, usage: null });
});
