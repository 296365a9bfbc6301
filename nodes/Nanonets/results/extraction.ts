import type { IDataObject } from 'n8n-workflow';

/**
 * How the extraction API's answers become items: pure functions, no requests. Where Nanonets'
 * sources disagree on a shape (UNCONFIRMED), every published variant is read here, in one place.
 */

export const EXTRACTION_FORMATS = ['markdown', 'html', 'json', 'csv'] as const;
export type ExtractionFormat = (typeof EXTRACTION_FORMATS)[number];

/** Statuses seen in Nanonets' SDKs and docs: v1 `completed|processing|failed`, others as a precaution. */
const COMPLETED = ['completed', 'complete', 'done', 'success', 'succeeded'];
const FAILED = ['failed', 'failure', 'error'];

export function extractionStatus(answer: IDataObject): 'completed' | 'failed' | 'processing' {
	const status = String(answer.status ?? answer.processing_status ?? '').toLowerCase();
	if (COMPLETED.includes(status)) return 'completed';
	if (FAILED.includes(status) || answer.success === false) return 'failed';
	return 'processing';
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON content as an object; a JSON text is parsed, anything else kept as it came. */
function jsonContent(content: unknown): unknown {
	if (typeof content !== 'string') return content;
	const text = content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
	try {
		return JSON.parse(text);
	} catch {
		return content;
	}
}

function hasMetadata(metadata: unknown): boolean {
	return isObject(metadata) && Object.values(metadata).some((value) => value !== null && value !== undefined && !(isObject(value) && Object.keys(value).length === 0));
}

/**
 * One extraction result as an item: `{ record_id, status, filename, pages_processed, markdown?,
 * html?, json?, csv?, metadata? }`. JSON content is an object; the others are text. `metadata`
 * holds each format's bounding boxes and confidence scores, when asked for and present.
 * `requested` names the formats asked for: a bare `result.content` (one format) is read as that one.
 */
export function extractionItem(answer: IDataObject, requested: ExtractionFormat[] = []): IDataObject {
	const result = isObject(answer.result) ? answer.result : {};
	const item: IDataObject = {
		record_id: answer.record_id ?? answer.id ?? null,
		status: extractionStatus(answer),
		filename: answer.filename ?? answer.original_filename ?? null,
		pages_processed: answer.pages_processed ?? answer.page_count ?? result.page_count ?? null,
	};
	const metadata: IDataObject = {};
	const byFormat: Partial<Record<ExtractionFormat, unknown>> = {};
	for (const format of EXTRACTION_FORMATS) if (format in result) byFormat[format] = result[format];
	if (Object.keys(byFormat).length === 0 && 'content' in result && requested.length === 1) byFormat[requested[0]] = result;
	for (const format of EXTRACTION_FORMATS) {
		if (!(format in byFormat)) continue;
		const entry = byFormat[format];
		const content = isObject(entry) && 'content' in entry ? entry.content : entry;
		item[format] = format === 'json' ? (jsonContent(content) as IDataObject) : content === null || content === undefined ? '' : typeof content === 'string' ? content : JSON.stringify(content);
		if (isObject(entry) && hasMetadata(entry.metadata)) metadata[format] = entry.metadata as IDataObject;
	}
	if (Object.keys(metadata).length) item.metadata = metadata;
	if (item.status === 'failed') item.message = answer.message ?? answer.error ?? null;
	return item;
}

/** The pages of a list answer: `{ results: [...] }` (v1), or a bare list, or `{ records }`. */
export function extractionListEntries(answer: unknown): IDataObject[] {
	if (Array.isArray(answer)) return answer.filter(isObject);
	if (!isObject(answer)) return [];
	for (const key of ['results', 'records', 'items', 'data']) {
		if (Array.isArray(answer[key])) return (answer[key] as unknown[]).filter(isObject);
	}
	return [];
}

/** Whether the list answer says there is a next page. */
export function extractionListHasNext(answer: unknown, page: number, received: number, pageSize: number): boolean {
	const pagination = isObject(answer) && isObject(answer.pagination) ? answer.pagination : undefined;
	if (pagination && typeof pagination.has_next === 'boolean') return pagination.has_next;
	if (pagination && typeof pagination.total_pages === 'number') return page < pagination.total_pages;
	return received >= pageSize;
}

/** A classification answer `{ result: FileClass }` (or FileClass itself) as an item. */
export function classificationItem(answer: IDataObject): IDataObject {
	const file = isObject(answer.result) ? answer.result : answer;
	const pages = (Array.isArray(file.pages) ? file.pages : []).filter(isObject).map((page, index) => ({
		page_number: page.page_number ?? page.page ?? index + 1,
		category: page.category ?? 'Other',
		confidence: page.confidence ?? null,
		reasoning: page.reasoning ?? null,
		// Nanonets' more detailed type of the page (e.g. "Invoice_Amazon_Electronics"), when given.
		...(page.identified_category !== undefined ? { identified_category: page.identified_category } : {}),
	}));
	return {
		filename: file.filename ?? null,
		total_pages: file.total_pages ?? pages.length,
		category: mostFrequentCategory(pages.map((page) => String(page.category))),
		pages,
		...(file.record_id ? { record_id: file.record_id } : {}),
	};
}

/** The category of most pages; on a tie, the one that comes first. */
export function mostFrequentCategory(categories: string[]): string | null {
	const counts = new Map<string, number>();
	for (const category of categories) counts.set(category, (counts.get(category) ?? 0) + 1);
	let best: string | null = null;
	for (const [category, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = category;
	return best;
}

/** An OpenAI-style chat completion as `{ answer, model, usage }`. */
export function chatItem(answer: IDataObject): IDataObject {
	const choices = Array.isArray(answer.choices) ? answer.choices.filter(isObject) : [];
	const message = isObject(choices[0]?.message) ? choices[0].message : undefined;
	let text: unknown = message?.content ?? choices[0]?.text ?? '';
	// Content may come as a list of parts ({ type: 'text', text }).
	if (Array.isArray(text)) text = text.map((part) => (isObject(part) ? (part.text ?? '') : String(part))).join('');
	return {
		answer: typeof text === 'string' ? text : JSON.stringify(text),
		model: answer.model ?? null,
		usage: isObject(answer.usage) ? answer.usage : null,
	};
}
