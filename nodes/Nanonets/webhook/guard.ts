import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * What a delivery must pass before anything starts: the secret, a size limit, JSON. Pure: it
 * reads the request and says how to answer a refusal.
 */

/** Bodies larger than this are refused (413): an export of one document is far smaller. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface IncomingRequest {
	query?: IDataObject;
	headers?: Record<string, unknown>;
	body?: unknown;
	rawBody?: Buffer | string;
}

/**
 * JSON nested deeper than this is refused (400): an export is a few levels deep, and reading a
 * body nested thousands of levels deep (a few kilobytes of brackets) would overflow the stack.
 */
export const MAX_BODY_DEPTH = 100;

export type Verdict = { ok: true; body: unknown } | { ok: false; status: 400 | 401 | 413; message: string };

/** Whether a parsed body nests deeper than `max` levels; walked without recursion. */
export function nestedDeeperThan(body: unknown, max: number): boolean {
	const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 1 }];
	while (stack.length > 0) {
		const { value, depth } = stack.pop()!;
		if (typeof value !== 'object' || value === null) continue;
		if (depth > max) return true;
		for (const child of Array.isArray(value) ? value : Object.values(value)) {
			if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
		}
	}
	return false;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * What a query parser reads when the secret is pasted as it is after `?token=`: `+` becomes a
 * space and `%xx` is decoded (as n8n's parser does; an invalid `%` sequence stays as it is).
 */
export function pastedTokenValue(secret: string): string {
	const spaced = secret.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(spaced);
	} catch {
		return spaced;
	}
}

/**
 * Whether the request carries the secret as its `token` query parameter: the secret itself
 * (URL-encoded in the address), or as the query parser reads it when pasted as it is (generated
 * secrets carry `+`, `/`, `=`). Compared in constant time (digests of equal length, both forms
 * always), so the answer's timing says nothing about the secret.
 */
export function hasSecret(request: IncomingRequest, secret: string): boolean {
	if (secret === '') return true;
	const token = request.query?.token;
	const given = Array.isArray(token) ? token[0] : token;
	if (typeof given !== 'string') return false;
	const asEncoded = timingSafeEqual(digest(given), digest(secret));
	const asPasted = timingSafeEqual(digest(given), digest(pastedTokenValue(secret)));
	return asEncoded || asPasted;
}

function header(request: IncomingRequest, name: string): string {
	const value = request.headers?.[name] ?? request.headers?.[name.toLowerCase()];
	return String(Array.isArray(value) ? value[0] : (value ?? '')).toLowerCase();
}

/** The body's size in bytes, as declared or as received. */
function bodySize(request: IncomingRequest): number {
	const declared = Number(header(request, 'content-length'));
	if (request.rawBody !== undefined) return Math.max(Buffer.byteLength(request.rawBody), Number.isFinite(declared) ? declared : 0);
	if (Number.isFinite(declared) && declared > 0) return declared;
	if (request.body === undefined) return 0;
	return Buffer.byteLength(typeof request.body === 'string' ? request.body : JSON.stringify(request.body) ?? '');
}

function parseJson(text: string): { value: unknown } | undefined {
	try {
		const value = JSON.parse(text) as unknown;
		return typeof value === 'object' && value !== null ? { value } : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The delivery's JSON body, or why it is refused. A JSON content type, or none at all or
 * text holding JSON (senders label JSON loosely); forms, XML and other types are refused.
 */
export function checkDelivery(request: IncomingRequest, secret: string): Verdict {
	if (!hasSecret(request, secret)) {
		return { ok: false, status: 401, message: 'Unauthorized: the URL\'s token does not match the secret set in the Nanonets Webhook Trigger' };
	}
	if (bodySize(request) > MAX_BODY_BYTES) {
		return { ok: false, status: 413, message: `Payload too large: at most ${MAX_BODY_BYTES / 1024 / 1024} MB` };
	}
	const type = header(request, 'content-type');
	const refused = { ok: false as const, status: 400 as const, message: 'Bad request: the body must be a JSON object or list (Content-Type: application/json)' };
	const looseType = type === '' || type.startsWith('text/plain');
	if (!type.includes('json') && !looseType) return refused;
	const { body, rawBody } = request;
	let value: unknown;
	if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && (Array.isArray(body) || Object.keys(body).length > 0)) {
		value = body;
	} else {
		const text = typeof body === 'string' ? body : rawBody !== undefined ? rawBody.toString() : Buffer.isBuffer(body) ? body.toString('utf8') : '';
		const parsed = parseJson(text);
		if (!parsed) return refused;
		value = parsed.value;
	}
	if (nestedDeeperThan(value, MAX_BODY_DEPTH)) {
		return { ok: false, status: 400, message: `Bad request: the JSON is nested more than ${MAX_BODY_DEPTH} levels deep; an export from Nanonets is not` };
	}
	return { ok: true, body: value };
}
