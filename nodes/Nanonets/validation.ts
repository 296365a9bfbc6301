import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FileBytes } from './transport/multipart';

/** Nanonets' documented upload limit. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_LIST_LIMIT = 100;
/** Nanonets' documented page limit per document: the most a file can count for. */
export const MAX_DOCUMENT_PAGES = 500;

/** A file n8n keeps outside memory, as its binary data store streams it. */
type Readable = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

export type FileKind = 'pdf' | 'jpeg' | 'png' | 'tiff' | 'xls' | 'xlsx' | 'gif' | 'bmp' | 'webp';

export const fileKinds: Record<FileKind, { mimeType: string; extension: string }> = {
	pdf: { mimeType: 'application/pdf', extension: 'pdf' },
	jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
	png: { mimeType: 'image/png', extension: 'png' },
	tiff: { mimeType: 'image/tiff', extension: 'tiff' },
	xls: { mimeType: 'application/vnd.ms-excel', extension: 'xls' },
	xlsx: {
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		extension: 'xlsx',
	},
	gif: { mimeType: 'image/gif', extension: 'gif' },
	bmp: { mimeType: 'image/bmp', extension: 'bmp' },
	webp: { mimeType: 'image/webp', extension: 'webp' },
};

/** What v4 workflows accept. */
export const DOCUMENT_KINDS: FileKind[] = ['pdf', 'jpeg', 'png', 'tiff', 'xls', 'xlsx'];
/** What the v2 models accept: documents and images. */
export const V2_KINDS: FileKind[] = ['pdf', 'jpeg', 'png', 'tiff', 'gif', 'bmp', 'webp'];

/** Recognises a file by its first bytes, whatever its name says. */
export function sniffFileKind(head: Buffer): FileKind | undefined {
	const starts = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
	if (starts(0x25, 0x50, 0x44, 0x46)) return 'pdf'; // %PDF
	if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
	if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
	if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
	if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'xls';
	if (starts(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
	if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
	if (starts(0x42, 0x4d)) return 'bmp';
	if (starts(0x52, 0x49, 0x46, 0x46) && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
	return undefined;
}

const PDF_TYPE = Buffer.from('/Type');
const PDF_END_STREAM = Buffer.from('endstream');
/** Longest `/Type <spaces> /Name` this counter recognises across two chunks. */
const PDF_MARKER_SPAN = 48;

function isPdfSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function isLetter(byte: number): boolean {
	return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** What the counter looks for: objects by type, and the end of every stream. */
interface PdfMarkers {
	/** `/Type /Page` objects outside object streams. */
	page: number;
	/** PDF 1.5 compressed object streams: pages inside them cannot be seen without inflating. */
	objStm: number;
	/** Cross-reference streams. */
	xRef: number;
	/** Streams of every kind (`endstream`). */
	stream: number;
}

const noMarkers = (): PdfMarkers => ({ page: 0, objStm: 0, xRef: 0, stream: 0 });

/**
 * Counts a PDF's pages chunk by chunk, so a PDF streamed from disk is counted without holding
 * it, and one in memory without turning it into a string.
 *
 * Page objects inside PDF 1.5 compressed object streams are invisible without inflating them
 * (node code may not use zlib). Then the count is the file's worst case instead: each page
 * has its own content stream, and content streams are never inside object streams, so the
 * streams that are neither object streams nor cross-reference streams bound the pages.
 */
export class PdfPageCounter {
	private markers = noMarkers();

	private tail: Buffer = Buffer.alloc(0);

	push(chunk: Buffer): void {
		if (chunk.length < PDF_MARKER_SPAN * 2) {
			// Small chunk: joining it to the tail costs little.
			const data = Buffer.concat([this.tail, chunk]);
			const keepFrom = Math.max(0, data.length - PDF_MARKER_SPAN);
			countMarkers(data, keepFrom, this.markers);
			this.tail = Buffer.from(data.subarray(keepFrom));
			return;
		}
		// Markers that started in the tail end in the chunk's first bytes; the chunk itself is
		// scanned where it is, without a copy. Markers near its end wait for the next chunk.
		countMarkers(Buffer.concat([this.tail, chunk.subarray(0, PDF_MARKER_SPAN)]), this.tail.length, this.markers);
		const keepFrom = chunk.length - PDF_MARKER_SPAN;
		countMarkers(chunk, keepFrom, this.markers);
		this.tail = Buffer.from(chunk.subarray(keepFrom));
	}

	/** The page count (at least 1), or the most pages the file can have when they are compressed. */
	finish(): number {
		const markers = { ...this.markers };
		countMarkers(this.tail, this.tail.length, markers, true);
		if (markers.objStm === 0) return Math.max(1, markers.page);
		const worstCase = markers.stream - markers.objStm - markers.xRef;
		return Math.min(MAX_DOCUMENT_PAGES, Math.max(1, markers.page, worstCase));
	}
}

/** Adds the markers starting before `before`; a marker cut off at the end of `data` does not count. */
function countMarkers(data: Buffer, before: number, markers: PdfMarkers, final = false): void {
	for (let at = data.indexOf(PDF_TYPE); at !== -1 && at < before; at = data.indexOf(PDF_TYPE, at + 1)) {
		let next = at + PDF_TYPE.length;
		while (next < data.length && isPdfSpace(data[next])) next++;
		if (data[next] !== 0x2f) continue; // '/'
		let end = next + 1;
		while (end < data.length && isLetter(data[end])) end++;
		// The name must be whole: followed by a delimiter, or by the end of the file.
		if (end === data.length && !final) continue;
		const name = data.subarray(next + 1, end).toString('latin1');
		if (name === 'Page') markers.page++;
		else if (name === 'ObjStm') markers.objStm++;
		else if (name === 'XRef') markers.xRef++;
	}
	for (let at = data.indexOf(PDF_END_STREAM); at !== -1 && at < before; at = data.indexOf(PDF_END_STREAM, at + 1)) {
		if (at + PDF_END_STREAM.length <= data.length) markers.stream++;
	}
}

/** Counts the pages of a PDF for pacing; other files count as one page. */
export function countPages(file: Buffer, kind: FileKind): number {
	if (kind !== 'pdf') return 1;
	const counter = new PdfPageCounter();
	counter.push(file);
	return counter.finish();
}

export function itemLabel(itemIndex: number): string {
	return `item ${itemIndex + 1}`;
}

/** A count of seconds as a message prints it: "1 second", "2.5 seconds". */
export function secondsText(seconds: number): string {
	return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/** A required text parameter, trimmed; refused when empty. */
export function checkRequired(
	context: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	parameter: string,
	itemIndex: number,
): string {
	const text = String(value ?? '').trim();
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The "${parameter}" parameter is empty (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: `Enter the ${parameter}, or map it from an earlier node with an expression.`,
		});
	}
	return text;
}

/** Ids go into URL paths: refuse anything that could change the path. */
export function checkId(
	context: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	parameter: string,
	itemIndex: number,
): string {
	const id = checkRequired(context, value, parameter, itemIndex);
	if (/[/?#\\]|\.\./.test(id) || /\s/.test(id)) {
		throw new NodeOperationError(
			context.getNode(),
			`The "${parameter}" parameter is not a valid ID: "${id.slice(0, 80)}" (${itemLabel(itemIndex)})`,
			{ itemIndex, description: 'IDs contain no spaces, slashes, "?", "#" or "..".' },
		);
	}
	return id;
}

export function checkUrl(
	context: IExecuteFunctions,
	value: unknown,
	parameter: string,
	itemIndex: number,
): string {
	const url = String(value ?? '').trim();
	let valid = false;
	try {
		const parsed = new URL(url);
		valid = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(
			context.getNode(),
			url === ''
				? `The "${parameter}" parameter is empty (${itemLabel(itemIndex)})`
				: `The "${parameter}" parameter is not an http(s) URL: "${url.slice(0, 120)}" (${itemLabel(itemIndex)})`,
			{ itemIndex, description: 'Nanonets downloads the file itself, so the URL must start with http:// or https://.' },
		);
	}
	return url;
}

/** One or more URLs, separated by commas or new lines. */
export function checkUrlList(
	context: IExecuteFunctions,
	value: unknown,
	parameter: string,
	itemIndex: number,
): string[] {
	const raw = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\n,]/);
	const urls = raw.map((url) => url.trim()).filter((url) => url !== '');
	if (urls.length === 0) {
		throw new NodeOperationError(context.getNode(), `The "${parameter}" parameter is empty (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'Enter one or more http(s) URLs, separated by commas or new lines.',
		});
	}
	return urls.map((url) => checkUrl(context, url, parameter, itemIndex));
}

/** Metadata that looks like JSON must be JSON; anything else is sent as text. */
export function checkMetadata(
	context: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object') return JSON.stringify(value);
	const text = String(value);
	const trimmed = text.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			JSON.parse(trimmed);
		} catch (error) {
			throw new NodeOperationError(
				context.getNode(),
				`The "Metadata" option looks like JSON but does not parse (${itemLabel(itemIndex)}): ${(error as Error).message}`,
				{ itemIndex, description: 'Fix the JSON, or enter plain text that does not start with { or [.' },
			);
		}
		return trimmed;
	}
	return text;
}

export function checkNumberRange(
	context: IExecuteFunctions,
	value: number,
	parameter: string,
	min: number,
	max: number,
	itemIndex: number,
): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw new NodeOperationError(
			context.getNode(),
			`The "${parameter}" parameter must be between ${min} and ${max}, not ${String(value)} (${itemLabel(itemIndex)})`,
			{ itemIndex },
		);
	}
	return value;
}

export interface InputFile {
	fileName: string;
	mimeType: string;
	kind: FileKind;
	pages: number;
	size: number;
	/** The bytes, held once whichever binary mode n8n uses, with room to be sent without a copy. */
	content: FileBytes;
}

/** Size of the binary without reading it: from the base64 in memory, or as n8n stored it. */
function binarySize(binary: IBinaryData): number | undefined {
	if (binary.id) return typeof binary.bytes === 'number' ? binary.bytes : undefined;
	if (typeof binary.data !== 'string') return undefined;
	const base64 = binary.data;
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

/** Checks that the item has the binary property; cheap, so it runs before any request. */
export function checkBinaryProperty(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): IBinaryData {
	const name = propertyName.trim();
	const item = context.getInputData()[itemIndex];
	const binary = item?.binary?.[name];
	if (!binary) {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(
			context.getNode(),
			`The "Input Binary Field" parameter names "${name}", but ${itemLabel(itemIndex)} has no binary field "${name}"`,
			{
				itemIndex,
				description: available.length
					? `The item has these binary fields: ${available.join(', ')}. Set "Input Binary Field" to one of them.`
					: 'The item has no binary data. Add a node before this one that reads or downloads the file, or choose "URL" as the input.',
			},
		);
	}
	const size = binarySize(binary);
	if (size !== undefined) checkFileSize(context, size, binary.fileName, name, itemIndex);
	return binary;
}

function fileLabel(fileName: string | undefined, propertyName: string): string {
	return `The file "${fileName ?? 'file'}" (binary field "${propertyName}")`;
}

function checkFileSize(context: IExecuteFunctions, size: number, fileName: string | undefined, propertyName: string, itemIndex: number) {
	if (size === 0) {
		throw new NodeOperationError(context.getNode(), `${fileLabel(fileName, propertyName)} is empty (${itemLabel(itemIndex)})`, {
			itemIndex,
		});
	}
	if (size > MAX_FILE_BYTES) {
		throw new NodeOperationError(
			context.getNode(),
			`${fileLabel(fileName, propertyName)} is ${Math.ceil((size / 1024 / 1024) * 10) / 10} MB; Nanonets accepts at most 20 MB (${itemLabel(itemIndex)})`,
			{ itemIndex, description: 'Split the document or compress it before uploading.' },
		);
	}
}

function checkFileKind(
	context: IExecuteFunctions,
	head: Buffer,
	fileName: string | undefined,
	propertyName: string,
	accepted: FileKind[],
	itemIndex: number,
): FileKind {
	const kind = sniffFileKind(head);
	if (!kind || !accepted.includes(kind)) {
		const names = accepted.map((k) => k.toUpperCase()).join(', ');
		throw new NodeOperationError(
			context.getNode(),
			`${fileLabel(fileName, propertyName)} is not a supported type (${itemLabel(itemIndex)})`,
			{
				itemIndex,
				description: `Nanonets accepts ${names}. ${kind ? `This file is ${kind.toUpperCase()}.` : 'Its content matches none of these.'}`,
			},
		);
	}
	return kind;
}

/** The first bytes of a stored file and, for a PDF, its page count, in one pass over the stream. */
async function inspectStoredFile(
	stream: Readable,
	wantsPages: (head: Buffer) => boolean,
): Promise<{ head: Buffer; pages?: number }> {
	let head = Buffer.alloc(0);
	let counter: PdfPageCounter | undefined;
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			if (counter) {
				counter.push(chunk);
				continue;
			}
			head = Buffer.concat([head, chunk]);
			if (head.length < 16) continue;
			// Not a PDF (or no pages wanted): the first bytes are all we need.
			if (!wantsPages(head)) return { head: head.subarray(0, 16) };
			counter = new PdfPageCounter();
			counter.push(head);
		}
	} finally {
		stream.destroy();
	}
	return { head: head.subarray(0, 16), pages: counter?.finish() };
}

/** The size of a file n8n stores outside memory, from its metadata. */
async function storedFileSize(context: IExecuteFunctions, binaryId: string): Promise<number> {
	return (await context.helpers.getBinaryMetadata(binaryId)).fileSize;
}

/**
 * Everything about the item's file that can be known before sending: it exists, its size,
 * and its real type from its first bytes (not its name). Runs for every item before any request.
 */
export async function checkInputFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	accepted: FileKind[],
): Promise<void> {
	const name = propertyName.trim();
	const binary = checkBinaryProperty(context, itemIndex, name);
	let head: Buffer;
	const binaryId = binary.id;
	if (binaryId) {
		// Stored elsewhere (filesystem, S3): the size from n8n's metadata, the type from the first chunk.
		checkFileSize(context, await storedFileSize(context, binaryId), binary.fileName, name, itemIndex);
		head = (await inspectStoredFile(await context.helpers.getBinaryStream(binaryId), () => false)).head;
	} else if (typeof binary.data === 'string') {
		// In memory: decoding the first 24 base64 characters gives the 18 bytes the sniffer needs.
		head = Buffer.from(binary.data.slice(0, 24), 'base64');
	} else {
		head = Buffer.alloc(0);
	}
	checkFileKind(context, head, binary.fileName, name, accepted, itemIndex);
}

/**
 * The bytes of a file n8n keeps in memory (as base64), decoded straight into the buffer they are
 * sent from: no decoded copy next to it.
 */
async function readBinaryInMemory(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	binary: IBinaryData,
): Promise<FileBytes> {
	const expected = binarySize(binary) ?? 0;
	const file = FileBytes.allocate(expected);
	if (typeof binary.data === 'string' && file.bytes.write(binary.data, 0, expected, 'base64') === expected) return file;
	// Not plain base64 (line breaks, say): n8n decodes it, and the result is copied once.
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const decoded = FileBytes.allocate(data.length);
	data.copy(decoded.bytes);
	return decoded;
}

/** The bytes of a file n8n stores outside memory, read from its stream into the buffer they are sent from. */
async function readStoredFile(context: IExecuteFunctions, binaryId: string, size: number, label: string, itemIndex: number): Promise<FileBytes> {
	const file = FileBytes.allocate(size);
	let read = 0;
	const stream = await context.helpers.getBinaryStream(binaryId);
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			if (read + chunk.length > size) break;
			chunk.copy(file.bytes, read);
			read += chunk.length;
		}
	} finally {
		stream.destroy();
	}
	if (read !== size) {
		throw new NodeOperationError(context.getNode(), `${label} does not have the size n8n recorded for it (${itemLabel(itemIndex)})`, {
			itemIndex,
			description: 'The stored file changed or is incomplete. Read or download it again in an earlier node.',
		});
	}
	return file;
}

/**
 * Reads the item's file and checks its size and real type. The type comes from the content,
 * so a PNG named ".pdf" is sent as a PNG and a renamed executable is refused. Whichever binary
 * mode n8n uses, the file is held once: in the buffer the upload is sent from.
 */
export async function readInputFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	accepted: FileKind[],
): Promise<InputFile> {
	const name = propertyName.trim();
	const binary = checkBinaryProperty(context, itemIndex, name);
	const fileName = binary.fileName ?? 'file';
	const binaryId = binary.id;
	let content: FileBytes;
	if (binaryId) {
		const size = await storedFileSize(context, binaryId);
		checkFileSize(context, size, fileName, name, itemIndex);
		content = await readStoredFile(context, binaryId, size, fileLabel(fileName, name), itemIndex);
	} else {
		content = await readBinaryInMemory(context, itemIndex, name, binary);
		checkFileSize(context, content.bytes.length, fileName, name, itemIndex);
	}
	const head = content.bytes.subarray(0, 16);
	const kind = checkFileKind(context, head, fileName, name, accepted, itemIndex);
	const { mimeType, extension } = fileKinds[kind];
	// Keep the user's file name but make its extension match the content.
	const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
	const sameKind = fileName.toLowerCase().endsWith(`.${extension}`) || (kind === 'jpeg' && /\.jpe?g$/i.test(fileName)) || (kind === 'tiff' && /\.tiff?$/i.test(fileName));
	return {
		fileName: sameKind ? fileName : `${base}.${extension}`,
		mimeType,
		kind,
		pages: countPages(content.bytes, kind),
		size: content.bytes.length,
		content,
	};
}
