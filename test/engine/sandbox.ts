/** Starts the Nanonets sandbox for a test file and builds credentials that point at it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox/server');

export interface Sandbox {
	url: string;
	state: {
		requests: Array<{
			method: string;
			path: string;
			query: Record<string, string>;
			via: string;
			status: number;
			at: number;
			fault?: unknown;
			upload?: { filename: string; contentType: string; size: number; sha256: string };
			/** A multipart or URL-encoded request's text fields. */
			fields?: Record<string, string[]>;
			/** The request body's content type, without parameters; undefined without a body. */
			contentType?: string;
			/** The names of the body's fields (multipart, URL-encoded or JSON). */
			bodyFields?: string[];
			/** The JSON answer, when the sandbox was opened with `recordAnswers`. */
			answer?: unknown;
			/** The extraction API's multipart file names, in order. */
			files?: string[];
		}>;
		config: Record<string, unknown>;
		stats: Record<string, number>;
		workflows: Map<string, unknown[]>;
		models: Map<string, unknown>;
	};
	config: { apiKey: string; lowCodeToken: string; extractionKey: string; [key: string]: unknown };
	fault(fault: Record<string, unknown>): void;
	requestsTo(pathPart: string, method?: string): Sandbox['state']['requests'];
	reset(): void;
	addDocument(
		workflowId: string,
		options?: { pages?: number; spec?: object; name?: string; metadata?: unknown; uploadedAt?: string; file?: Buffer },
	): string;
	close(): Promise<void>;
}

export async function openSandbox(options: Record<string, unknown> = {}): Promise<Sandbox> {
	return (await startSandbox(options)) as Sandbox;
}

export function credentialsFor(sandbox: Sandbox, pagesPerMinute = 0) {
	return {
		nanonetsAppApi: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute },
		nanonetsLowCodeApi: { apiToken: sandbox.config.lowCodeToken, baseUrl: sandbox.url, pagesPerMinute },
		nanonetsExtractionApi: { apiKey: sandbox.config.extractionKey, baseUrl: `${sandbox.url}/extraction-api`, pagesPerMinute },
	};
}
