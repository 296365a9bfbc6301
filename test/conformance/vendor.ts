/**
 * Nanonets' own published descriptions of its v2 API, read with a YAML parser: the two OpenAPI
 * files kept unchanged beside the project (`../shared/vendor/` from the project's root). This
 * module only reads them; what the node and the sandbox must do is checked in shape.ts and
 * test/conformance.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

export const VENDOR_FOLDER = resolve(__dirname, '..', '..', '..', 'shared', 'vendor');

export type VendorFile = 'api-docs' | 'konfig';

export const VENDOR_FILES: Record<VendorFile, string> = {
	'api-docs': 'nanonets-api-docs.openapi-3.1.yaml',
	konfig: 'konfig-nanonets.openapi-3.0.yaml',
};

/** One operation of one vendor file, with what it declares. */
export interface VendorOperation {
	file: VendorFile;
	operationId: string;
	method: string;
	/** The path key as written (it may hold a query, e.g. `?async=true`). */
	pathKey: string;
	/** Matches a request path under `/api/v2`, with or without a trailing slash. */
	pathPattern: RegExp;
	/** Parameter names by place: query, path, header; query names written into the path key too. */
	parameters: { query: string[]; path: string[] };
	/** Content types of the request body; empty when the operation declares no body. */
	contentTypes: string[];
	/** Field names of the request body's schema, over every content type. */
	bodyFields: string[];
	/** Query and form names Nanonets' own code samples of this operation use. */
	sampleNames: string[];
	/** Response examples by status code. */
	examples: Record<string, unknown[]>;
}

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` ("#/components/...") once or more. */
function resolveRef(document: Node, value: unknown): unknown {
	let current = value;
	for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
		const parts = (current.$ref as string).replace(/^#\//, '').split('/');
		current = parts.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
	}
	return current;
}

function schemaFields(document: Node, schema: unknown): string[] {
	const resolved = resolveRef(document, schema);
	if (!isObject(resolved)) return [];
	const properties = resolveRef(document, resolved.properties);
	return isObject(properties) ? Object.keys(properties) : [];
}

function sampleNames(operation: Node): string[] {
	const names = new Set<string>();
	for (const key of ['x-codeSamples', 'x-code-samples']) {
		for (const sample of Array.isArray(operation[key]) ? operation[key] : []) {
			const source = isObject(sample) && typeof sample.source === 'string' ? sample.source : '';
			for (const match of source.matchAll(/[?&]([A-Za-z_]\w*)=/g)) names.add(match[1]);
			for (const dict of source.matchAll(/querystring\s*=\s*\{([^}]*)\}/g)) {
				for (const match of dict[1].matchAll(/['"](\w+)['"]\s*:/g)) names.add(match[1]);
			}
		}
	}
	return [...names];
}

function examplesOf(document: Node, responses: unknown): Record<string, unknown[]> {
	const byStatus: Record<string, unknown[]> = {};
	if (!isObject(responses)) return byStatus;
	for (const [status, raw] of Object.entries(responses)) {
		const response = resolveRef(document, raw);
		const content = isObject(response) && isObject(response.content) ? response.content['application/json'] : undefined;
		if (!isObject(content)) continue;
		const values: unknown[] = [];
		if (isObject(content.examples)) {
			for (const example of Object.values(content.examples)) {
				const resolved = resolveRef(document, example);
				if (isObject(resolved) && 'value' in resolved) values.push(resolved.value);
			}
		}
		if ('example' in content) values.push(content.example);
		if (values.length) byStatus[status] = values;
	}
	return byStatus;
}

function pathPattern(pathKey: string): RegExp {
	const path = pathKey.split('?')[0].replace(/\/+$/, '');
	const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
	return new RegExp(`^/api/v2${escaped}/?$`);
}

/** Every operation of one vendor file. */
export function readVendorFile(file: VendorFile): VendorOperation[] {
	const document = parse(readFileSync(resolve(VENDOR_FOLDER, VENDOR_FILES[file]), 'utf8')) as Node;
	const operations: VendorOperation[] = [];
	for (const [pathKey, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
		if (!isObject(item)) continue;
		for (const [method, raw] of Object.entries(item)) {
			if (!isObject(raw) || typeof raw.operationId !== 'string') continue;
			const parameters = { query: [] as string[], path: [] as string[] };
			for (const parameter of Array.isArray(raw.parameters) ? raw.parameters : []) {
				const resolved = resolveRef(document, parameter);
				if (!isObject(resolved) || typeof resolved.name !== 'string') continue;
				if (resolved.in === 'query') parameters.query.push(resolved.name);
				// The konfig file declares `async` of one operation "in: path" while its path key
				// puts it in the query: a name is a name, wherever it is declared.
				if (resolved.in === 'path') parameters.path.push(resolved.name);
			}
			for (const match of pathKey.matchAll(/[?&](\w+)=/g)) parameters.query.push(match[1]);
			const body = resolveRef(document, raw.requestBody);
			const content = isObject(body) && isObject(body.content) ? body.content : {};
			operations.push({
				file,
				operationId: raw.operationId,
				method: method.toUpperCase(),
				pathKey,
				pathPattern: pathPattern(pathKey),
				parameters,
				contentTypes: Object.keys(content),
				bodyFields: [...new Set(Object.values(content).flatMap((media) => (isObject(media) ? schemaFields(document, media.schema) : [])))],
				sampleNames: sampleNames(raw),
				examples: examplesOf(document, raw.responses),
			});
		}
	}
	return operations;
}

export function vendorFilesPresent(): boolean {
	return Object.values(VENDOR_FILES).every((name) => existsSync(resolve(VENDOR_FOLDER, name)));
}
