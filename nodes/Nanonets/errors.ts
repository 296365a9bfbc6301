import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The one place where the node's API and operation errors are built. Every text is redacted
 * first and shortened after, so a secret cut in half by a shortened message can never survive.
 */

/** What an error needs to know to be built: the node, and how to remove the credential's secret. */
export interface ErrorSource {
	readonly node: INode;
	redact(text: string): string;
}

/** Longest text quoted from Nanonets' answer (after redaction). */
export const MAX_QUOTE_LENGTH = 500;
/** Longest message and description. */
const MAX_MESSAGE_LENGTH = 1000;

export interface ErrorParts {
	/** Our own summary, e.g. "Nanonets rejected the request". */
	message: string;
	/** Text from Nanonets' answer or the input, shown after the summary, shortened on its own. */
	quote?: string;
	/** Our own note after the quote, e.g. "; the upload was not repeated". Never cut off. */
	note?: string;
	description?: string;
	httpCode?: number | string;
	itemIndex?: number;
}

/** Every form of the secret, and LowCodeAPI's `api_token` query parameter, replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let clean = text;
	for (const secret of secrets) if (secret) clean = clean.split(secret).join('***');
	return clean.replace(/(\bapi_token=)[^&\s"')]*/gi, '$1***');
}

/** Shortens an already redacted text, marking the cut. */
export function shorten(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function compose(source: ErrorSource, parts: ErrorParts): { message: string; description?: string } {
	const quoted = parts.quote === undefined ? '' : shorten(source.redact(parts.quote).trim(), MAX_QUOTE_LENGTH);
	const quote = quoted ? `: ${quoted}` : '';
	const note = parts.note ? source.redact(parts.note) : '';
	const head = shorten(source.redact(parts.message), Math.max(200, MAX_MESSAGE_LENGTH - quote.length - note.length));
	const description = parts.description === undefined ? undefined : shorten(source.redact(parts.description), MAX_MESSAGE_LENGTH);
	return { message: `${head}${quote}${note}`, description };
}

/** An error about Nanonets' answer (or the lack of one). */
export function apiError(source: ErrorSource, parts: ErrorParts): NodeApiError {
	const { message, description } = compose(source, parts);
	const httpCode = parts.httpCode === undefined ? undefined : String(parts.httpCode);
	return new NodeApiError(
		source.node,
		{ message, ...(httpCode ? { httpCode } : {}) },
		{ message, description, httpCode, itemIndex: parts.itemIndex },
	);
}

/** An error about what the node was asked to do (a timeout, a failed document, bad input). */
export function operationError(source: ErrorSource, parts: ErrorParts): NodeOperationError {
	const { message, description } = compose(source, parts);
	return new NodeOperationError(source.node, message, { description, itemIndex: parts.itemIndex });
}

const cancellations = new WeakSet<object>();

/** The execution was cancelled: n8n shows the run as cancelled, and the item loop stops. */
export function cancelledError(node: INode, itemIndex?: number): NodeOperationError {
	const error = new NodeOperationError(node, 'The execution was cancelled while waiting for Nanonets', { itemIndex });
	cancellations.add(error);
	return error;
}

export function isCancellation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && cancellations.has(error);
}

/**
 * An error that came after Nanonets accepted a document: the same error, naming the document,
 * so that it is fetched later instead of being uploaded again.
 */
export function afterAcceptance(source: ErrorSource, error: unknown, what: string, fetchWith: string): unknown {
	if (isCancellation(error) || !(error instanceof NodeApiError || error instanceof NodeOperationError)) return error;
	if (error.message.includes(what)) return error;
	const parts: ErrorParts = {
		message: error.message,
		note: ` (after Nanonets accepted ${what})`,
		description: `Do not upload it again: ${fetchWith}.${error.description ? ` ${error.description}` : ''}`,
		httpCode: error instanceof NodeApiError ? (error.httpCode ?? undefined) : undefined,
		itemIndex: (error.context?.itemIndex as number | undefined) ?? undefined,
	};
	return error instanceof NodeApiError ? apiError(source, parts) : operationError(source, parts);
}
