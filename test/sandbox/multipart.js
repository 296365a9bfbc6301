'use strict';
// A small multipart/form-data parser: enough for the sandbox, not a general one.

/**
 * @param {Buffer} body
 * @param {string} contentType
 * @returns {{ fields: Record<string, string[]>, files: Record<string, Array<{ filename: string, contentType: string, data: Buffer }>> }}
 */
function parseMultipart(body, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
	if (!match) throw new Error('multipart body without a boundary');
	const boundary = Buffer.from(`--${match[1] || match[2]}`);
	const fields = {};
	const files = {};
	let position = body.indexOf(boundary);
	while (position !== -1) {
		const start = position + boundary.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(boundary, start);
		if (next === -1) break;
		// Each part: CRLF, headers, CRLF CRLF, content, CRLF.
		const part = body.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			const content = part.subarray(headerEnd + 4);
			const name = /name="([^"]*)"/i.exec(headers)?.[1];
			const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
			const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
			if (name !== undefined) {
				if (filename !== undefined) (files[name] ??= []).push({ filename, contentType: type.trim(), data: content });
				else (fields[name] ??= []).push(content.toString('utf8'));
			}
		}
		position = next;
	}
	return { fields, files };
}

module.exports = { parseMultipart };
