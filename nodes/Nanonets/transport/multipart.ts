import { randomBytes } from 'crypto';

/**
 * Multipart bodies written by hand (RFC 7578), so the package needs no form library. A file's
 * bytes are decoded or read once, into a buffer with room before and after them: the request
 * body is then that same buffer with the part headers and the closing boundary written around
 * the file, never a second copy of it.
 */

/** Room before a file for the boundary lines, the text fields and the file part's headers. */
const HEAD_ROOM = 64 * 1024;
/** Room after a file for the closing boundary. */
const TAIL_ROOM = 128;

/** A file's bytes (`bytes`) inside a larger buffer that leaves room for the multipart framing. */
export class FileBytes {
	private constructor(
		private readonly frame: Buffer,
		readonly bytes: Buffer,
	) {}

	/** Zero-filled, so that bytes not written never send what the memory held before. */
	static allocate(size: number): FileBytes {
		const frame = Buffer.alloc(HEAD_ROOM + size + TAIL_ROOM);
		return new FileBytes(frame, frame.subarray(HEAD_ROOM, HEAD_ROOM + size));
	}

	/** `head`, the bytes and `tail` as one buffer: in place when they fit the room, else a copy. */
	framedBy(head: Buffer, tail: Buffer): Buffer {
		if (head.length > HEAD_ROOM || tail.length > TAIL_ROOM) return Buffer.concat([head, this.bytes, tail]);
		const start = HEAD_ROOM - head.length;
		const end = HEAD_ROOM + this.bytes.length;
		head.copy(this.frame, start);
		tail.copy(this.frame, end);
		return this.frame.subarray(start, end + tail.length);
	}
}

/** A file to send as the form's field `file`. */
export interface FormFile {
	fileName: string;
	mimeType: string;
	content: FileBytes;
}

/** Text fields; a list repeats the field, one value per entry; undefined leaves it out. */
export type FormFields = Record<string, string | string[] | undefined>;

/**
 * A complete form body and its content type: multipart (`multipartBody`, the type names its
 * boundary) or URL-encoded (`urlEncodedBody`, kept as text: n8n's HTTP client reads a body it
 * is told is URL-encoded as text). Sent as it is.
 */
export class MultipartForm {
	constructor(
		readonly bytes: Buffer | string,
		readonly contentType: string,
	) {}
}

/** Quotes a name or file name for a Content-Disposition header as browsers do. */
function quoted(name: string): string {
	return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** Each value of a field: a list repeats the field, undefined leaves it out. */
function valuesOf(value: FormFields[string]): string[] {
	return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Random, so that it cannot be guessed to appear in a file. */
function newBoundary(): string {
	return `----n8nNanonets${randomBytes(16).toString('hex')}`;
}

/** The text fields' parts, in order. */
function textParts(boundary: string, fields: FormFields): string {
	let parts = '';
	for (const [name, value] of Object.entries(fields)) {
		for (const text of valuesOf(value)) parts += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${text}\r\n`;
	}
	return parts;
}

/** The headers of a file's part, up to its first byte. */
function fileHeaders(boundary: string, fieldName: string, file: FormFile): string {
	return `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(fieldName)}; filename=${quoted(file.fileName)}\r\nContent-Type: ${file.mimeType}\r\n\r\n`;
}

/** The form: `fields` first, then the file (field `file`), if any. */
export function multipartBody(fields: FormFields, file?: FormFile): MultipartForm {
	const boundary = newBoundary();
	const head = textParts(boundary, fields);
	const body = file
		? file.content.framedBy(Buffer.from(head + fileHeaders(boundary, 'file', file)), Buffer.from(`\r\n--${boundary}--\r\n`))
		: Buffer.from(`${head}--${boundary}--\r\n`);
	return new MultipartForm(body, `multipart/form-data; boundary=${boundary}`);
}

/**
 * `application/x-www-form-urlencoded`: each field once per value, in order (`urls=a&urls=b`), as
 * Nanonets' SDKs and the samples in its descriptions send URL lists.
 */
export function urlEncodedBody(fields: FormFields): MultipartForm {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) for (const text of valuesOf(value)) params.append(name, text);
	return new MultipartForm(params.toString(), 'application/x-www-form-urlencoded');
}

/**
 * A form with several files under one field name (the extraction API's batch: `files`), after
 * the text fields. The files are copied once into the body.
 */
export function multipartFiles(fields: FormFields, files: FormFile[], fieldName: string): MultipartForm {
	const boundary = newBoundary();
	const parts: Buffer[] = [Buffer.from(textParts(boundary, fields))];
	for (const file of files) parts.push(Buffer.from(fileHeaders(boundary, fieldName, file)), file.content.bytes, Buffer.from('\r\n'));
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return new MultipartForm(Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
}
