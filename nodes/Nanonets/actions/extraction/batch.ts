import type { IDataObject } from 'n8n-workflow';

import { apiError } from '../../errors';
import { multipartFiles, type FormFields } from '../../transport/multipart';
import type { NanonetsClient } from '../../transport/request';
import type { InputFile } from '../../validation';
import type { ItemCall, OutputItem } from '../types';

/**
 * Batching for Extract: binary files of items with the same settings go to Nanonets' batch
 * endpoint together, up to 50 a request, and every item still gets its own result or error,
 * paired to it. A batch is sent when the item loop reaches its first item, so concurrency,
 * Continue On Fail and "stop at the first failure" work as for any other operation.
 */

/** Nanonets' documented maximum of files per batch request. */
export const MAX_BATCH_FILES = 50;
/**
 * Items that all fit in the item loop at once go one by one: each short document then gets its
 * synchronous answer as soon as it is ready, while a batch is asynchronous (queued, then polled).
 * Batches pay off once there are more matching items than run at the same time.
 */
export const MIN_BATCH_ITEMS = 3;

/** What an item that may be batched offers the batcher. */
export interface BatchPart {
	/** Items batch together only when their form fields are identical. */
	key: string;
	fields: FormFields;
	itemIndex: number;
	readFile(): Promise<InputFile>;
	/** Turns the item's record from the batch answer into its output (waiting, shaping). */
	finish(client: NanonetsClient, record: IDataObject): Promise<Array<IDataObject | OutputItem>>;
}

type BatchableCall = ItemCall & { batchPart?: BatchPart };

/**
 * Replaces calls that can share batch requests by calls that do; the others stay as they are.
 * `concurrency` is how many items the item loop runs at once.
 */
export function groupIntoBatches(calls: Array<ItemCall | Error>, concurrency: number): Array<ItemCall | Error> {
	const byKey = new Map<string, BatchPart[]>();
	for (const call of calls) {
		const part = call instanceof Error ? undefined : (call as BatchableCall).batchPart;
		if (part) byKey.set(part.key, [...(byKey.get(part.key) ?? []), part]);
	}
	const grouped = [...calls];
	for (const parts of byKey.values()) {
		if (parts.length < MIN_BATCH_ITEMS || parts.length <= concurrency) continue;
		for (let start = 0; start < parts.length; start += MAX_BATCH_FILES) {
			const group = new BatchGroup(parts.slice(start, start + MAX_BATCH_FILES));
			for (const part of group.parts) {
				grouped[part.itemIndex] = async (client) => {
					const outcome = (await group.run(client)).get(part.itemIndex);
					if (outcome === undefined || outcome instanceof Error) throw outcome ?? new Error('The batch answer had no result for this item');
					return await part.finish(client, outcome);
				};
			}
		}
	}
	return grouped;
}

/** A record for the item, or the error that is the item's alone. */
type Outcome = IDataObject | Error;

class BatchGroup {
	private running?: Promise<Map<number, Outcome>>;

	constructor(readonly parts: BatchPart[]) {}

	/** Sends the group once, however many of its items ask. */
	async run(client: NanonetsClient): Promise<Map<number, Outcome>> {
		this.running ??= this.send(client);
		return await this.running;
	}

	private async send(client: NanonetsClient): Promise<Map<number, Outcome>> {
		const outcomes = new Map<number, Outcome>();
		const ready: Array<{ part: BatchPart; file: InputFile }> = [];
		for (const part of this.parts) {
			try {
				ready.push({ part, file: await part.readFile() });
			} catch (error) {
				outcomes.set(part.itemIndex, error as Error);
			}
		}
		// One request may not ask for more pages than the account's minute allows.
		const pageLimit = client.pagesPerMinute > 0 ? client.pagesPerMinute : Infinity;
		const requests: Array<typeof ready> = [];
		let current: typeof ready = [];
		let pages = 0;
		for (const entry of ready) {
			if (current.length && pages + entry.file.pages > pageLimit) {
				requests.push(current);
				current = [];
				pages = 0;
			}
			current.push(entry);
			pages += entry.file.pages;
		}
		if (current.length) requests.push(current);
		await Promise.all(requests.map(async (entries) => await this.sendRequest(client, entries, outcomes)));
		return outcomes;
	}

	private async sendRequest(client: NanonetsClient, entries: Array<{ part: BatchPart; file: InputFile }>, outcomes: Map<number, Outcome>): Promise<void> {
		const first = entries[0].part;
		let answer: IDataObject;
		try {
			answer = await client.request('extractBatch', {
				body: multipartFiles(first.fields, entries.map((entry) => entry.file), 'files'),
				pages: entries.reduce((sum, entry) => sum + entry.file.pages, 0),
				itemIndex: first.itemIndex,
			});
		} catch (error) {
			// The whole request failed: each of its items fails with that error.
			for (const { part } of entries) outcomes.set(part.itemIndex, error as Error);
			return;
		}
		const records = (Array.isArray(answer.records) ? answer.records : Array.isArray(answer.results) ? answer.results : []) as IDataObject[];
		const rejected = Array.isArray(answer.rejected_files) ? (answer.rejected_files as unknown[]) : [];
		const rejectedCount = Array.isArray(answer.rejected_files) ? answer.rejected_files.length : Number(answer.rejected_files) || 0;
		const matched = matchRecords(
			entries.map(({ file }) => file),
			records,
		);
		entries.forEach(({ part, file }, index) => {
			const record = matched[index];
			if (record) {
				outcomes.set(part.itemIndex, record);
				return;
			}
			const reason = rejectionReason(rejected, file.fileName);
			const listed = reason !== undefined || rejected.some((entry) => entry === file.fileName);
			outcomes.set(
				part.itemIndex,
				listed || rejectedCount > 0
					? apiError(client, {
							message: `Nanonets rejected the file "${file.fileName}" in a batch`,
							quote: reason,
							description: 'Check that the file opens and is a supported type, or run this item on its own with "Use Batch Requests" off.',
							itemIndex: part.itemIndex,
						})
					: apiError(client, {
							message: `Nanonets' batch answer had no result for the file "${file.fileName}"`,
							description:
								'Nanonets may still have received it: look for it with Extraction > Get Many before sending it again, or run this item on its own with "Use Batch Requests" off.',
							itemIndex: part.itemIndex,
						}),
			);
		});
	}
}

/** What a batch record says about the file it answers: its name and size, when it gives them. */
function recordFile(record: IDataObject): { name?: string; size?: number } {
	const name = record.filename ?? record.original_filename;
	const size = Number(record.file_size);
	return { name: typeof name === 'string' && name !== '' ? name : undefined, size: record.file_size !== undefined && record.file_size !== null && Number.isFinite(size) ? size : undefined };
}

/**
 * Which record answers which file (undefined: none). Nanonets documents no order for a batch's
 * `records`, and an answer may lack a rejected file's record, so a record goes to the file whose
 * name (and size, when the record gives one) it carries, the first such file first; a record
 * counts once however often it comes. Records that name no file sent (unnamed, or renamed by
 * Nanonets) pair in order with the files left over, and only when there are exactly as many.
 */
export function matchRecords(files: Array<{ fileName: string; size: number }>, records: IDataObject[]): Array<IDataObject | undefined> {
	const seenIds = new Set<string>();
	const unique = records.filter((record) => {
		const id = record.record_id ?? record.id;
		if (id === undefined || id === null || id === '') return true;
		if (seenIds.has(String(id))) return false;
		seenIds.add(String(id));
		return true;
	});
	const used = new Set<number>();
	const matched: Array<IDataObject | undefined> = files.map(() => undefined);
	// Name and size agree first, then name where the record gives no size, then name alone.
	const sizeTests: Array<(size: number | undefined, file: { size: number }) => boolean> = [
		(size, file) => size === file.size,
		(size) => size === undefined,
		() => true,
	];
	for (const sizeFits of sizeTests) {
		files.forEach((file, index) => {
			if (matched[index]) return;
			const at = unique.findIndex((record, recordIndex) => {
				if (used.has(recordIndex)) return false;
				const { name, size } = recordFile(record);
				return name === file.fileName && sizeFits(size, file);
			});
			if (at < 0) return;
			used.add(at);
			matched[index] = unique[at];
		});
	}
	const sentNames = new Set(files.map((file) => file.fileName));
	const anonymous = unique.filter((record, index) => !used.has(index) && !sentNames.has(recordFile(record).name ?? '\u0000'));
	const left = matched.flatMap((record, index) => (record ? [] : [index]));
	if (anonymous.length === left.length) left.forEach((fileIndex, order) => (matched[fileIndex] = anonymous[order]));
	return matched;
}

/** The reason Nanonets gives for a rejected file: `rejected_files` entries are names or `{ filename, error }`. */
function rejectionReason(rejected: unknown[], fileName: string): string | undefined {
	for (const entry of rejected) {
		if (typeof entry === 'string' && entry === fileName) return undefined;
		if (typeof entry === 'object' && entry !== null) {
			const record = entry as IDataObject;
			if (String(record.filename ?? record.file ?? record.name ?? '') === fileName) {
				const reason = record.error ?? record.reason ?? record.message ?? record.detail;
				return typeof reason === 'string' ? reason : undefined;
			}
		}
	}
	return undefined;
}
