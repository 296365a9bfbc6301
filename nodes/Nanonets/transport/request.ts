import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IPollFunctions,
	IHookFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiError, cancelledError, type ErrorParts, type ErrorSource, isCancellation, redactSecrets } from '../errors';
import { pause } from '../waiting';
import { type EndpointName, endpoints, fillPath, toLowCodeOldFormat } from './endpoints';
import { MultipartForm } from './multipart';
import { type Booking, pageBudgetFor, type PageBudget, RateLimitWaitError } from './pacing';
import { secondsText } from '../validation';

/** `extractionApi`: Nanonets' extraction API, a Bearer key of its own and another base URL. */
export type Authentication = 'apiKey' | 'lowCodeApi' | 'extractionApi';

export const credentialTypes: Record<Authentication, string> = {
	apiKey: 'nanonetsAppApi',
	lowCodeApi: 'nanonetsLowCodeApi',
	extractionApi: 'nanonetsExtractionApi',
};

/** What each credential type's Pages per Minute defaults to (the plan's documented limit). */
const DEFAULT_PAGES_PER_MINUTE: Record<Authentication, number> = { apiKey: 75, lowCodeApi: 75, extractionApi: 20 };

/** LowCodeAPI puts every provider behind this prefix. */
const LOWCODE_PROVIDER_PREFIX = '/nanonets';
/** Unconfirmed: the proxy's listing shows its paths without Nanonets' trailing slashes. */
const LOWCODE_STRIPS_TRAILING_SLASH = true;

/** The node option `options.requestTimeout` (seconds) overrides this. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 120;
/** How long a request may wait for Nanonets' Retry-After when the item has no Timeout option. */
const DEFAULT_WAIT_LIMIT_SECONDS = 600;
/** The same for the trigger's polls and the editor's lists. */
const BACKGROUND_WAIT_LIMIT_SECONDS = 120;
const MAX_ATTEMPTS_ON_FAILURE = 4; // 5xx or connection errors, idempotent requests only
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

type Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions | IHookFunctions;

/** LowCodeAPI URL format that worked last, per base URL. */
const lowCodeFormatByBaseUrl = new Map<string, 'new' | 'old'>();

export interface RequestOptions {
	pathParams?: Record<string, string>;
	query?: IDataObject;
	/** A JSON body, or a multipart one. */
	body?: IDataObject | MultipartForm;
	/** Pages this request asks Nanonets to process, for pacing. */
	pages?: number;
	itemIndex?: number;
	/** The answer is a file: kept as bytes (JSON answers are still read as JSON). */
	asFile?: boolean;
	/** Sent without the credential: an address outside Nanonets' API (a download link). */
	withoutCredential?: boolean;
	/** false: a safe request that fails (5xx, no answer) is not repeated; its caller retries later. */
	retryFailures?: boolean;
}

/** What a file endpoint answered: the file's bytes, or JSON (e.g. holding a download address). */
export type FileAnswer =
	| { kind: 'file'; data: Buffer; mimeType?: string; fileName?: string }
	| { kind: 'json'; body: unknown }
	| { kind: 'redirect'; url: string };

/** Redirects followed by `downloadFile`, each hop checked for where the credential may go. */
const MAX_DOWNLOAD_REDIRECTS = 5;

interface Attempt {
	url: string;
	qs: IDataObject;
}

export interface ApiResponse<T> {
	body: T;
	statusCode: number;
}

/** Requests that create something are not repeated after a failure the server may have acted on. */
function notRepeatedNote(name: EndpointName): string {
	const endpoint = endpoints[name];
	if (endpoint.idempotent) return '';
	const what = endpoint.consumesPages || /upload/i.test(name) ? 'upload' : 'request';
	return `; the ${what} was not repeated, so that it cannot create a duplicate`;
}

/** LowCodeAPI's public listing shows only v2 endpoints: say so where the user reads first. */
function notProxiedNote(name: EndpointName, authentication: Authentication): string {
	return authentication === 'lowCodeApi' && endpoints[name].path.startsWith('/api/v4/')
		? '. LowCodeAPI may not forward Nanonets\' v4 workflow endpoints: use the "Nanonets API" credential for Document operations'
		: '';
}

/** The HTTP client's own word for an aborted request, or our cancellation error. */
export function isCancelled(error: unknown): boolean {
	return isCancellation(error) || (error as Error)?.name === 'CanceledError';
}

/** A positive number of seconds from the node's options, or undefined. */
function secondsOption(context: Context, name: string, itemIndex: number): number | undefined {
	let value: unknown;
	try {
		value = 'getInputData' in context
			? (context as IExecuteFunctions).getNodeParameter(`options.${name}`, itemIndex, undefined)
			: (context as IPollFunctions).getNodeParameter(`options.${name}`, undefined);
	} catch {
		return undefined;
	}
	const seconds = Number(value);
	return value !== undefined && value !== '' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * The one place that talks HTTP to Nanonets: authentication per credential type, LowCodeAPI
 * URL formats and unwrapping, pacing, retries, and error messages free of secrets.
 */
export class NanonetsClient implements ErrorSource {
	private constructor(
		private readonly context: Context,
		readonly authentication: Authentication,
		private readonly baseUrl: string,
		private readonly secrets: string[],
		private readonly budget: PageBudget,
		/** The credential's Pages per Minute (0: no pacing). */
		readonly pagesPerMinute: number,
	) {}

	static async create(context: Context, authentication: Authentication): Promise<NanonetsClient> {
		const credentials = await context.getCredentials(credentialTypes[authentication]);
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		if (!/^https?:\/\/[^\s]+$/i.test(baseUrl)) {
			throw new NodeOperationError(
				context.getNode(),
				'The credential\'s Base URL must start with http:// or https://',
			);
		}
		const secret = String((authentication === 'lowCodeApi' ? credentials.apiToken : credentials.apiKey) ?? '');
		// A key pasted with spaces around it reaches Nanonets without them, and may come back so.
		const forms = [...new Set([secret, secret.trim()])].filter((form) => form !== '');
		const secrets = forms
			.flatMap((form) => [form, Buffer.from(`${form}:`).toString('base64'), encodeURIComponent(form)])
			.sort((a, b) => b.length - a.length);
		const fallback = DEFAULT_PAGES_PER_MINUTE[authentication];
		const asked = Number(credentials.pagesPerMinute ?? fallback);
		const pagesPerMinute = Number.isFinite(asked) ? asked : fallback;
		// The budget is per account; its key is a short fingerprint, never the secret itself.
		const account = `${authentication}|${baseUrl}|${fingerprint(secret)}`;
		return new NanonetsClient(context, authentication, baseUrl, secrets, pageBudgetFor(account, pagesPerMinute), pagesPerMinute);
	}

	get node(): INode {
		return this.context.getNode();
	}

	/** Removes every form of the credential's secret from a text. */
	redact(text: string): string {
		return redactSecrets(text, this.secrets);
	}

	/** The item's Request Timeout option, in milliseconds. */
	private requestTimeoutMs(itemIndex = 0): number {
		return (secondsOption(this.context, 'requestTimeout', itemIndex) ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000;
	}

	/** How long a request may wait for Nanonets' rate limit: the item's Timeout option. */
	private waitLimitSeconds(itemIndex = 0): number {
		// A trigger's poll or an editor list should not hang on an hourly quota: the next poll retries.
		if (!('getInputData' in this.context)) return BACKGROUND_WAIT_LIMIT_SECONDS;
		return secondsOption(this.context, 'timeout', itemIndex) ?? DEFAULT_WAIT_LIMIT_SECONDS;
	}

	async request<T = IDataObject>(name: EndpointName, options: RequestOptions = {}): Promise<T> {
		return (await this.requestWithStatus<T>(name, options)).body;
	}

	/** A file endpoint: its bytes with the type and name the server gave, or its JSON answer. */
	async requestFile(name: EndpointName, options: RequestOptions = {}): Promise<FileAnswer> {
		return (await this.requestWithStatus<FileAnswer>(name, { ...options, asFile: true })).body;
	}

	/**
	 * Downloads a file from an address Nanonets gave. The credential goes only to the
	 * credential's own host: a storage link elsewhere gets no API key or token.
	 */
	async downloadFile(url: string, itemIndex?: number): Promise<FileAnswer> {
		let answer: FileAnswer = { kind: 'redirect', url };
		for (let hop = 0; hop <= MAX_DOWNLOAD_REDIRECTS && answer.kind === 'redirect'; hop++) {
			const sameHost = this.authentication === 'apiKey' && new URL(answer.url).origin === new URL(this.baseUrl).origin;
			const options: RequestOptions = { asFile: true, itemIndex, withoutCredential: !sameHost };
			const response = await this.send('getDocumentOriginal', { url: answer.url, qs: {} }, options, this.cancelSignal());
			if (response.statusCode >= 400 && !sameHost) throw this.downloadError(answer.url, response.statusCode, itemIndex);
			answer = this.finishFile('getDocumentOriginal', response, options, answer.url).body;
		}
		return answer;
	}

	async requestWithStatus<T = IDataObject>(
		name: EndpointName,
		options: RequestOptions = {},
	): Promise<ApiResponse<T>> {
		const endpoint = endpoints[name];
		const signal = this.cancelSignal();
		const booking = endpoint.consumesPages ? await this.book(name, options.pages ?? 1, signal, options.itemIndex) : undefined;
		try {
			return await this.requestBooked<T>(name, options, signal, booking);
		} finally {
			booking?.release();
		}
	}

	private async requestBooked<T>(name: EndpointName, options: RequestOptions, signal: AbortSignal | undefined, booking: Booking | undefined): Promise<ApiResponse<T>> {
		const endpoint = endpoints[name];
		if (this.authentication !== 'lowCodeApi') {
			const attempt = { url: this.baseUrl + fillPath(endpoint.path, options.pathParams), qs: {} };
			const response = await this.send(name, attempt, options, signal, booking);
			return options.asFile ? (this.finishFile(name, response, options) as ApiResponse<T>) : this.finish(name, response, options);
		}

		// LowCodeAPI: try the format that worked last; on 404 try the other one.
		const preferred = lowCodeFormatByBaseUrl.get(this.baseUrl) ?? 'new';
		const formats: Array<'new' | 'old'> = preferred === 'new' ? ['new', 'old'] : ['old', 'new'];
		let response: IN8nHttpFullResponse | undefined;
		for (const format of formats) {
			const answer = await this.send(name, this.lowCodeAttempt(name, format, options), options, signal, booking);
			if (answer.statusCode !== 404) {
				lowCodeFormatByBaseUrl.set(this.baseUrl, format);
				response = answer;
				break;
			}
			// Both 404: the preferred format's answer is the one to show (Nanonets' "unknown
			// model", say), not the other format's "no such endpoint".
			response ??= answer;
		}
		return options.asFile ? (this.finishFile(name, response!, options) as ApiResponse<T>) : this.finish(name, response!, options);
	}

	/**
	 * Waits for room in the account's page budget; a cancelled execution leaves the queue at once,
	 * and a request that would sit out Nanonets' Retry-After past its Timeout fails without being sent.
	 */
	private async book(name: EndpointName, pages: number, signal: AbortSignal | undefined, itemIndex?: number): Promise<Booking> {
		let booking: Booking | undefined;
		const waitLimitMs = this.waitLimitSeconds(itemIndex) * 1000;
		try {
			booking = await this.budget.take(pages, signal, Date.now() + waitLimitMs);
		} catch (error) {
			// Otherwise the budget fails only when the signal aborts.
			if (error instanceof RateLimitWaitError) throw this.heldBackError(name, error.retryAt, itemIndex);
		}
		if (!booking) throw cancelledError(this.node, itemIndex);
		return booking;
	}

	private lowCodeAttempt(name: EndpointName, format: 'new' | 'old', options: RequestOptions): Attempt {
		const template = endpoints[name].path;
		if (format === 'new') {
			let path = fillPath(template, options.pathParams);
			if (LOWCODE_STRIPS_TRAILING_SLASH) path = path.replace(/\/+$/, '');
			return { url: this.baseUrl + LOWCODE_PROVIDER_PREFIX + path, qs: {} };
		}
		const old = toLowCodeOldFormat(template, options.pathParams);
		return { url: this.baseUrl + LOWCODE_PROVIDER_PREFIX + old.path, qs: old.query };
	}

	private cancelSignal(): AbortSignal | undefined {
		const context = this.context as Partial<IExecuteFunctions>;
		return typeof context.getExecutionCancelSignal === 'function'
			? context.getExecutionCancelSignal()
			: undefined;
	}

	/** Sends one logical request, repeating it when that is safe. Never throws with secrets. */
	private async send(
		name: EndpointName,
		attempt: Attempt,
		options: RequestOptions,
		signal: AbortSignal | undefined,
		booking?: Booking,
	): Promise<IN8nHttpFullResponse> {
		const endpoint = endpoints[name];
		const timeout = this.requestTimeoutMs(options.itemIndex);
		const waitLimitMs = this.waitLimitSeconds(options.itemIndex) * 1000;
		const waitUntil = Date.now() + waitLimitMs;
		// An earlier attempt failed in a way Nanonets may have acted on (not a 429).
		let mayHaveActed = false;
		for (let attemptNumber = 1; ; attemptNumber++) {
			let response: IN8nHttpFullResponse | undefined;
			let failure: Error | undefined;
			let cancelled = false;
			const { body } = options;
			const request: IHttpRequestOptions = {
				method: endpoint.method,
				url: attempt.url,
				qs: { ...attempt.qs, ...(options.query ?? {}) },
				body: body instanceof MultipartForm ? body.bytes : body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout,
				abortSignal: signal,
			};
			if (options.asFile) {
				request.json = false;
				request.encoding = 'arraybuffer';
				// The HTTP client would carry the credential along a redirect to another host:
				// redirects are followed by `downloadFile`, which decides per host.
				request.disableFollowRedirect = true;
			}
			if (body instanceof MultipartForm) {
				request.json = false;
				request.headers = { Accept: 'application/json', 'Content-Type': body.contentType };
				// Following redirects makes the HTTP client keep every byte sent, to send it again.
				// Nanonets does not redirect uploads.
				request.disableFollowRedirect = true;
			}
			// Pages count from when they reach Nanonets: a body sent in one piece, from now.
			booking?.markSent();
			const sentAt = Date.now();
			try {
				response = (options.withoutCredential
					? await this.context.helpers.httpRequest(request)
					: await this.context.helpers.httpRequestWithAuthentication.call(
							this.context,
							credentialTypes[this.authentication],
							request,
						)) as IN8nHttpFullResponse;
			} catch (error) {
				cancelled = signal?.aborted === true || isCancelled(error);
				failure = error as Error;
				// n8n rewords a timeout as "connection aborted"; the clock says what happened.
				if (Date.now() - sentAt >= timeout - 50) (failure as { timedOut?: boolean }).timedOut = true;
			}
			if (cancelled) throw cancelledError(this.node, options.itemIndex);

			const status = response?.statusCode ?? 0;
			if (status === 404 && mayHaveActed && endpoint.notFoundOnRepeat === 'done') {
				// The first attempt did it; only its answer was lost on the way back.
				return { statusCode: 200, headers: {}, body: { message: 'Done: an earlier attempt succeeded, but its answer was lost' } };
			}
			// A 429: the server did nothing, so waiting and sending again is always safe, for as
			// long as the item's Timeout allows, however many times it takes.
			if (status === 429) {
				const askedMs = retryAfterMs(response);
				if (booking?.paced) {
					// The account's budget learns from it (this process's share drops) and says when to go again.
					try {
						await booking.refused(askedMs, signal, waitUntil);
					} catch (error) {
						if (error instanceof RateLimitWaitError) throw this.rateLimitError(name, response!, askedMs, waitLimitMs, options.itemIndex);
						throw cancelledError(this.node, options.itemIndex);
					}
					continue;
				}
				const delay = Math.max(askedMs ?? 0, backoffMs(attemptNumber));
				if (Date.now() + delay > waitUntil) throw this.rateLimitError(name, response!, askedMs, waitLimitMs, options.itemIndex);
				await pause(delay, signal, this.node, options.itemIndex);
				continue;
			}
			if (!failure && status < 400) booking?.accepted();
			const failed = failure !== undefined || status >= 500;
			if (failed) mayHaveActed = true;
			if (failed && endpoint.idempotent && options.retryFailures !== false && attemptNumber < MAX_ATTEMPTS_ON_FAILURE) {
				await pause(backoffMs(attemptNumber), signal, this.node, options.itemIndex);
				continue;
			}
			if (failure) throw this.connectionError(failure, attempt.url, name, timeout, options.itemIndex);
			return response!;
		}
	}

	private finish<T>(name: EndpointName, response: IN8nHttpFullResponse, options: RequestOptions): ApiResponse<T> {
		const parsed = parseBody(response.body);
		let body = parsed.value;
		const wrapped = this.authentication === 'lowCodeApi' && isPlainObject(body) && 'data' in body;
		if (wrapped) body = (body as IDataObject).data;
		if (response.statusCode >= 400 || (wrapped && hasLowCodeError(body))) {
			throw this.apiError(name, response.statusCode, body, options.itemIndex, options.pathParams);
		}
		if (!parsed.json) {
			throw apiError(this, {
				message: 'Unexpected response from Nanonets: the answer was not JSON',
				description: describeText(String(body)),
				httpCode: response.statusCode,
				itemIndex: options.itemIndex,
			});
		}
		return { body: body as T, statusCode: response.statusCode };
	}

	/** A download link elsewhere failed: not a Nanonets or credential problem, and the link's signature stays out. */
	private downloadError(url: string, status: number, itemIndex?: number) {
		const { origin, pathname } = new URL(url);
		return apiError(this, {
			message: `The original file's download link answered ${status}`,
			quote: `${origin}${pathname}`,
			description: 'Download links from Nanonets expire after a while: run the node again to get a fresh one.',
			httpCode: status,
			itemIndex,
		});
	}

	/** A file answer: JSON (or an error) is read as usual; anything else is the file. */
	private finishFile(name: EndpointName, response: IN8nHttpFullResponse, options: RequestOptions, url?: string): ApiResponse<FileAnswer> {
		const headers = (response.headers ?? {}) as IDataObject;
		const location = typeof headers.location === 'string' ? headers.location : undefined;
		if (response.statusCode >= 300 && response.statusCode < 400 && location) {
			return { body: { kind: 'redirect', url: new URL(location, url ?? this.baseUrl).href }, statusCode: response.statusCode };
		}
		const mimeType = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		const isJson = mimeType === 'application/json' || mimeType.endsWith('+json');
		if (response.statusCode >= 400 || isJson) {
			const { body } = this.finish<unknown>(name, response, options);
			return { body: { kind: 'json', body }, statusCode: response.statusCode };
		}
		const raw = response.body as unknown;
		const data = Buffer.isBuffer(raw) ? raw : raw instanceof ArrayBuffer ? Buffer.from(raw) : Buffer.from(String(raw ?? ''));
		return {
			body: { kind: 'file', data, mimeType: mimeType || undefined, fileName: fileNameFrom(headers['content-disposition']) },
			statusCode: response.statusCode,
		};
	}

	private apiError(
		name: EndpointName,
		status: number,
		body: unknown,
		itemIndex?: number,
		pathParams?: Record<string, string>,
		extra: Partial<ErrorParts> = {},
	) {
		const apiMessage = extractMessage(body);
		const note = status >= 500 ? notRepeatedNote(name) : status === 404 ? notProxiedNote(name, this.authentication) : '';
		const workflowId = status === 404 ? pathParams?.workflow_id : undefined;
		// Name what was not found when Nanonets' own message does not.
		const which = workflowId && !apiMessage?.includes(workflowId) ? ` (workflow ${workflowId}${pathParams?.document_id ? `, document ${pathParams.document_id}` : ''})` : '';
		return apiError(this, {
			message: statusSummary(status, this.authentication),
			quote: apiMessage,
			note: `${which}${note}`,
			description: workflowId ? workflowNotFoundAdvice(workflowId, this.authentication) : adviceFor(status, this.authentication),
			httpCode: status,
			itemIndex,
			...extra,
		});
	}

	/** Nanonets still refused after the retries, or asked for a longer wait than the item allows. */
	private rateLimitError(name: EndpointName, response: IN8nHttpFullResponse, askedMs: number | undefined, waitLimitMs: number, itemIndex?: number) {
		const via = this.authentication === 'lowCodeApi' ? ' (through LowCodeAPI)' : '';
		const asked = askedMs === undefined ? undefined : `${formatSeconds(askedMs)} (Retry-After)`;
		// Retry-After alone was longer than the whole Timeout, or the waits added up (Nanonets kept refusing).
		const message = asked && askedMs! > waitLimitMs
			? `Nanonets' rate limit was exceeded${via} and it asked to wait ${asked}, longer than the Timeout option allows`
			: `Nanonets' rate limit was still exceeded${via}, and waiting longer would outlast the Timeout option${asked ? `; the last time it asked to wait ${asked}` : ''}`;
		const parsed = parseBody(response.body).value;
		const body = this.authentication === 'lowCodeApi' && isPlainObject(parsed) && 'data' in parsed ? parsed.data : parsed;
		return this.apiError(name, 429, body, itemIndex, undefined, { message, note: '' });
	}

	/** Nanonets asked (answering another request of the account) for a wait longer than this request's Timeout. */
	private heldBackError(name: EndpointName, retryAt: number, itemIndex?: number) {
		const via = this.authentication === 'lowCodeApi' ? ' (through LowCodeAPI)' : '';
		return this.apiError(name, 429, {}, itemIndex, undefined, {
			message: `Nanonets' rate limit was exceeded${via} and it asked this account to wait ${formatSeconds(Math.max(0, retryAt - Date.now()))} more (Retry-After), longer than the Timeout option allows; the request was not sent`,
			note: '',
		});
	}

	private connectionError(error: Error, url: string, name: EndpointName, timeoutMs: number, itemIndex?: number) {
		const { code, timedOut } = error as { code?: string; timedOut?: boolean };
		const reason = timedOut || /timeout/i.test(String(error.message))
			? `no answer within ${secondsText(timeoutMs / 1000)}`
			: (code ?? String(error.message));
		return apiError(this, {
			message: `Could not reach Nanonets at ${new URL(url).origin}`,
			quote: reason,
			note: notRepeatedNote(name),
			description: endpoints[name].idempotent
				? 'Check the Base URL in the credential and your network, then try again.'
				: `Nanonets may have received it before the connection failed: check for it in Nanonets (${this.authentication === 'extractionApi' ? 'Extraction > Get Many' : 'for documents: Document > Get Many'}) before running this again. Otherwise check the Base URL in the credential and your network.`,
			itemIndex,
		});
	}
}

/** The file name in a Content-Disposition header (`filename*=UTF-8''...` or `filename="..."`). */
export function fileNameFrom(header: unknown): string | undefined {
	const text = String(header ?? '');
	const encoded = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(text)?.[1];
	if (encoded) {
		try {
			return decodeURIComponent(encoded.trim());
		} catch {
			// fall through to the plain form
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(text)?.[1]?.trim();
	return plain || undefined;
}

function fingerprint(secret: string): string {
	let hash = 0;
	for (let i = 0; i < secret.length; i++) hash = (hash * 31 + secret.charCodeAt(i)) | 0;
	return (hash >>> 0).toString(36);
}

/** What Nanonets' Retry-After header asks for (seconds or an HTTP date), in milliseconds. */
function retryAfterMs(response: IN8nHttpFullResponse | undefined): number | undefined {
	const retryAfter = response?.headers?.['retry-after'];
	if (retryAfter === undefined || retryAfter === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(retryAfter));
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Exponential backoff with jitter; also the floor under a Retry-After of 0. */
function backoffMs(attemptNumber: number): number {
	const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (attemptNumber - 1), BACKOFF_MAX_MS);
	return backoff / 2 + Math.random() * (backoff / 2);
}

function formatSeconds(ms: number): string {
	const seconds = Math.round(ms / 100) / 10;
	return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer's JSON, or its text when it is not JSON (an HTML error page, a proxy's message). */
function parseBody(body: unknown): { value: unknown; json: boolean } {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return { value: body ?? {}, json: true };
	const text = body.trim();
	if (text === '') return { value: {}, json: true };
	try {
		return { value: JSON.parse(text), json: true };
	} catch {
		return { value: body, json: false };
	}
}

function hasLowCodeError(body: unknown): boolean {
	return isPlainObject(body) && isPlainObject(body.error) && typeof body.error.message === 'string';
}

/** Nanonets' and LowCodeAPI's own error message, whatever shape it comes in (whole: not yet redacted). */
export function extractMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return describeText(body);
	if (!isPlainObject(body)) return undefined;
	const data = isPlainObject(body.data) ? body.data : undefined;
	const candidates: unknown[] = [
		isPlainObject(data?.error) ? data?.error.message : undefined,
		isPlainObject(body.error) ? body.error.message : body.error,
		body.message,
		validationDetail(body.detail),
		body.errors,
	];
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
		if (Array.isArray(candidate) && candidate.length) return JSON.stringify(candidate);
	}
	return undefined;
}

/**
 * The extraction API's `detail`: a text, or (422) a list of `{ loc, msg }` that reads as
 * "output_format: field required; file: ...", naming each field without the `body` prefix.
 */
function validationDetail(detail: unknown): unknown {
	if (!Array.isArray(detail)) return detail;
	const parts = detail.map((entry) => {
		if (!isPlainObject(entry)) return typeof entry === 'string' ? entry : JSON.stringify(entry);
		const location = Array.isArray(entry.loc) ? entry.loc.filter((part) => part !== 'body' && part !== 'query').join('.') : '';
		const message = typeof entry.msg === 'string' ? entry.msg : JSON.stringify(entry);
		return location ? `${location}: ${message}` : message;
	});
	return parts.length ? parts.join('; ') : undefined;
}

function describeText(text: string): string {
	if (/<html|<!doctype/i.test(text)) {
		const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
		return `an HTML page${title ? ` ("${title}")` : ''} instead of JSON`;
	}
	// Not shortened here: the error constructor redacts the whole text first, then shortens it.
	return text.trim();
}

/** A v4 request answered 404: the workflow id, and where to find the right one. */
function workflowNotFoundAdvice(workflowId: string, authentication: Authentication): string {
	const lowCode = authentication === 'lowCodeApi' ? ' If the ID is right, LowCodeAPI may not forward v4 workflow endpoints: use the "Nanonets API" credential.' : '';
	return `Check the Workflow ID "${workflowId}" (and the document or page ID, if any). Open the workflow in the Nanonets app: its ID is in the address, after #/workflows/, and you can paste that address as the Workflow ID.${lowCode}`;
}

function statusSummary(status: number, authentication: Authentication): string {
	const via = authentication === 'lowCodeApi' ? ' (through LowCodeAPI)' : '';
	switch (status) {
		case 400:
			return `Nanonets rejected the request${via}`;
		case 401:
		case 403:
			return `Nanonets refused the credentials${via}`;
		case 402:
			return `Nanonets needs a paid plan for this${via}`;
		case 404:
			return `Not found${via}`;
		case 422:
			return `Nanonets could not accept the request's fields${via}`;
		case 413:
			return `The file is too large for Nanonets${via}`;
		case 429:
			return `Nanonets' rate limit was still exceeded after several retries${via}`;
		default:
			if (status >= 500) return `Nanonets had a server error (${status})${via}`;
			// LowCodeAPI's error wrapper under a success status: no HTTP status to speak of.
			if (status < 400 && authentication === 'lowCodeApi') return 'LowCodeAPI reported an error';
			return `Nanonets answered ${status}${via}`;
	}
}

function adviceFor(status: number, authentication: Authentication): string {
	if (authentication === 'extractionApi') return extractionAdviceFor(status);
	switch (status) {
		case 401:
		case 403:
			return authentication === 'lowCodeApi'
				? 'Check the API token in the "Nanonets (via LowCodeAPI) API" credential and that Nanonets is connected in your LowCodeAPI account.'
				: 'Check the API key in the "Nanonets API" credential (Nanonets app > Account > API Keys).';
		case 404:
			return authentication === 'lowCodeApi'
				? 'Check the IDs. If this is a Document (v4) operation, LowCodeAPI may not offer it: use the "Nanonets API" credential for it.'
				: 'Check the workflow, document, page or model ID.';
		case 413:
			return 'Nanonets accepts files of at most 20 MB. Split or compress the file.';
		case 429:
			return 'Set "Pages per Minute" in the credential to your plan\'s limit (on every n8n worker alike), lower the node\'s concurrency, or raise the Timeout option so that items may wait longer for the account\'s limit.';
		case 402:
			return 'Your Nanonets plan has no calls left for this. Check your plan in the Nanonets app.';
		default:
			return status >= 500
				? 'Nanonets had a temporary problem. Try again later; uploads are not repeated automatically, so check for the document before re-running.'
				: 'Check the node\'s parameters.';
	}
}

/** What to do next, for the extraction API's answers (its own key, record IDs, form fields). */
function extractionAdviceFor(status: number): string {
	switch (status) {
		case 401:
		case 403:
			return 'Check the API key in the "Nanonets Extraction API" credential (the extraction dashboard\'s API keys page; v4 app keys may not work here).';
		case 404:
			return 'Check the Record ID: it is the record_id an extraction returned. Results are kept for a limited time.';
		case 422:
		case 400:
			return 'Check the node\'s parameters named in the message (output formats, fields, JSON schema, categories).';
		case 413:
			return 'The file is too large for Nanonets. Split or compress it.';
		case 429:
			return 'Set "Pages per Minute" in the "Nanonets Extraction API" credential to your plan\'s limit (free 20, pay-as-you-go 300), or lower the node\'s concurrency.';
		default:
			return status >= 500
				? 'Nanonets had a temporary problem. Try again later; extractions are not repeated automatically, so check Extraction > Get Many before re-running.'
				: 'Check the node\'s parameters.';
	}
}
