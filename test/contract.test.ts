/**
 * The public interface fixed for saved workflows: type names, parameter names and option
 * values, read from the built package as n8n loads it.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { loadPackage } from './engine/harness';

let description: INodeTypeDescription;
beforeAll(async () => {
	const loader = await loadPackage();
	description = (loader.nodeTypes.nanonets.type as { description: INodeTypeDescription }).description;
});

/** Whether a parameter is shown in a node version (`@version` display conditions; none: all). */
function shownIn(p: INodeProperties, version: number): boolean {
	const conditions = p.displayOptions?.show?.['@version'] as unknown[] | undefined;
	if (!conditions) return true;
	return conditions.some((condition) =>
		typeof condition === 'number' ? condition === version : version >= ((condition as { _cnd: { gte: number } })._cnd.gte ?? Infinity),
	);
}

function optionValues(name: string, where: Record<string, string> = {}, version = 1): unknown[] {
	const matches = description.properties.filter(
		(p) =>
			p.name === name &&
			shownIn(p, version) &&
			Object.entries(where).every(([key, value]) => (p.displayOptions?.show?.[key] as unknown[] | undefined)?.includes(value)),
	);
	return matches.flatMap((p) => (p.options ?? []).map((o) => (o as { value: unknown }).value));
}

function parametersOf(resource: string, operation: string): string[] {
	return description.properties
		.filter((p: INodeProperties) => {
			const show = p.displayOptions?.show;
			return show?.resource?.includes(resource) && show?.operation?.includes(operation);
		})
		.map((p) => p.name);
}

test('the package exposes the node and its credential types under their fixed names', async () => {
	const loader = await loadPackage();
	expect(loader.packageName).toBe('n8n-nodes-nanonets-api');
	expect(Object.keys(loader.nodeTypes)).toContain('nanonets');
	expect(Object.keys(loader.credentialTypes).sort()).toEqual(['nanonetsAppApi', 'nanonetsExtractionApi', 'nanonetsLowCodeApi']);
	// Nanonets' own package uses this name: ours must never collide with it.
	expect(loader.credentialTypes.nanonetsApi).toBeUndefined();
	expect(description.name).toBe('nanonets');
	expect(description.displayName).toBe('Nanonets');
});

test('credentials have the fixed fields and defaults', async () => {
	const loader = await loadPackage();
	const fields = (name: string) =>
		Object.fromEntries(loader.credentialTypes[name].type.properties.map((p) => [p.name, p.default]));
	expect(fields('nanonetsAppApi')).toEqual({ apiKey: '', baseUrl: 'https://app.nanonets.com', pagesPerMinute: 75 });
	expect(fields('nanonetsLowCodeApi')).toEqual({ apiToken: '', baseUrl: 'https://api.lowcodeapi.com', pagesPerMinute: 75 });
	expect(loader.credentialTypes.nanonetsAppApi.type.displayName).toBe('Nanonets API');
	expect(loader.credentialTypes.nanonetsLowCodeApi.type.displayName).toBe('Nanonets (via LowCodeAPI) API');
});

test('authentication, resource and document operations keep their values', () => {
	expect(optionValues('authentication')).toEqual(['apiKey', 'lowCodeApi']);
	expect(optionValues('resource')).toContain('document');
	expect(optionValues('operation', { resource: 'document' }).sort()).toEqual(['delete', 'get', 'getAll', 'getPage', 'upload']);
	const defaults = Object.fromEntries(description.properties.map((p) => [p.name, p.default]));
	expect(defaults.authentication).toBe('apiKey');
});

test('document operations use the fixed parameter names', () => {
	expect(parametersOf('document', 'upload')).toEqual(
		expect.arrayContaining(['workflowId', 'inputType', 'binaryPropertyName', 'documentUrl', 'waitForCompletion', 'outputFormat', 'options']),
	);
	expect(parametersOf('document', 'get')).toEqual(expect.arrayContaining(['workflowId', 'documentId', 'outputFormat']));
	expect(parametersOf('document', 'getAll')).toEqual(expect.arrayContaining(['workflowId', 'returnAll', 'limit']));
	expect(parametersOf('document', 'getPage')).toEqual(expect.arrayContaining(['workflowId', 'documentId', 'pageId', 'outputFormat']));
	expect(parametersOf('document', 'delete')).toEqual(expect.arrayContaining(['workflowId', 'documentId']));

	const upload = description.properties.filter((p) => p.displayOptions?.show?.operation?.includes('upload'));
	const byName = (name: string) => upload.find((p) => p.name === name)!;
	expect(byName('inputType').default).toBe('binary');
	expect((byName('inputType').options ?? []).map((o) => (o as { value: string }).value)).toEqual(['binary', 'url']);
	expect(byName('binaryPropertyName').default).toBe('data');
	expect(byName('waitForCompletion').default).toBe(true);
	expect(byName('outputFormat').default).toBe('document');
	expect((byName('outputFormat').options ?? []).map((o) => (o as { value: string }).value)).toEqual(['document', 'simplified', 'fields', 'tableRows']);
	const options = (byName('options').options ?? []).map((o) => (o as INodeProperties).name);
	expect(options).toEqual(expect.arrayContaining(['metadata', 'pollInterval', 'timeout']));
	const limit = description.properties.find((p) => p.name === 'limit' && p.displayOptions?.show?.resource?.includes('document'));
	expect(limit?.default).toBe(50);
});

test('v2 resources and operations keep their values', () => {
	expect(optionValues('resource').sort()).toEqual(
		['document', 'fullText', 'imageClassification', 'imageModel', 'ocrModel', 'ocrPrediction'].sort(),
	);
	const operations = (resource: string) => optionValues('operation', { resource }).sort();
	expect(operations('fullText')).toEqual(['extract']);
	expect(operations('ocrModel')).toEqual(['create', 'get', 'train', 'uploadTrainingData']);
	expect(operations('ocrPrediction')).toEqual(['getAll', 'getByFile', 'getByPage', 'predict']);
	expect(operations('imageModel')).toEqual(['create', 'get', 'getAll', 'train', 'uploadTrainingData']);
	expect(operations('imageClassification')).toEqual(['predict']);
});

test('v2 operations use the fixed parameter names', () => {
	const has = (resource: string, operation: string, names: string[]) =>
		expect(parametersOf(resource, operation)).toEqual(expect.arrayContaining(names));
	has('fullText', 'extract', ['inputType', 'binaryPropertyName', 'urls']);
	has('ocrModel', 'create', ['categories']);
	has('ocrModel', 'get', ['modelId']);
	has('ocrModel', 'train', ['modelId']);
	has('ocrModel', 'uploadTrainingData', ['modelId', 'inputType', 'binaryPropertyName', 'urls']);
	has('ocrPrediction', 'predict', ['modelId', 'inputType', 'binaryPropertyName', 'urls', 'waitForCompletion', 'outputFormat']);
	has('ocrPrediction', 'getByFile', ['modelId', 'requestFileId', 'outputFormat']);
	has('ocrPrediction', 'getByPage', ['modelId', 'pageId', 'outputFormat']);
	has('ocrPrediction', 'getAll', ['modelId', 'startDate', 'endDate', 'returnAll', 'limit']);
	has('imageModel', 'create', ['categories']);
	has('imageModel', 'get', ['modelId']);
	has('imageModel', 'getAll', []);
	has('imageModel', 'train', ['modelId']);
	has('imageModel', 'uploadTrainingData', ['modelId', 'category', 'inputType', 'binaryPropertyName', 'urls']);
	has('imageClassification', 'predict', ['modelId', 'inputType', 'binaryPropertyName', 'urls']);
});

describe('added in 2026-11: node version 2', () => {
	test('version 2 adds the Workflow resource and the review operations; version 1 keeps its lists', () => {
		expect(optionValues('resource', {}, 2)).toContain('workflow');
		expect(optionValues('resource', {}, 1)).not.toContain('workflow');
		expect(optionValues('operation', { resource: 'workflow' }, 2).sort()).toEqual(['get', 'getAll']);
		expect(optionValues('operation', { resource: 'document' }, 2).sort()).toEqual(
			['delete', 'get', 'getAll', 'getOriginal', 'getPage', 'updateField', 'upload', 'verify'].sort(),
		);
	});

	test('the review operations use the fixed parameter names and values', () => {
		expect(parametersOf('workflow', 'get')).toContain('workflowId');
		expect(parametersOf('workflow', 'getAll')).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		expect(parametersOf('document', 'verify')).toEqual(expect.arrayContaining(['workflowId', 'documentId', 'verificationStatus', 'verificationMessage']));
		expect(parametersOf('document', 'updateField')).toEqual(expect.arrayContaining(['workflowId', 'documentId', 'pageId', 'fieldDataId', 'value']));
		expect(parametersOf('document', 'getOriginal')).toEqual(expect.arrayContaining(['workflowId', 'documentId', 'binaryPropertyName']));
		const status = description.properties.find((p) => p.name === 'verificationStatus')!;
		expect(status.default).toBe('success');
		expect((status.options ?? []).map((o) => (o as { value: string }).value)).toEqual(['success', 'failed']);
		const output = description.properties.find((p) => p.name === 'binaryPropertyName' && p.displayOptions?.show?.operation?.includes('getOriginal'))!;
		expect(output.default).toBe('data');
	});

	test('options minConfidence (where extracted data comes out) and keepBinary (where a file goes in)', () => {
		const optionsOf = (resource: string, operation: string) =>
			description.properties
				.filter((p) => p.name === 'options' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions?.show?.operation?.includes(operation))
				.flatMap((p) => (p.options ?? []).map((o) => (o as INodeProperties).name));
		for (const [resource, operation] of [['document', 'upload'], ['document', 'get'], ['document', 'getPage'], ['ocrPrediction', 'predict'], ['ocrPrediction', 'getByFile']]) {
			expect(optionsOf(resource, operation)).toContain('minConfidence');
		}
		for (const [resource, operation] of [['document', 'upload'], ['ocrPrediction', 'predict'], ['fullText', 'extract'], ['imageClassification', 'predict']]) {
			expect(optionsOf(resource, operation)).toContain('keepBinary');
		}
	});
});

describe('added in 2026-11: the extraction API (version 2, credential nanonetsExtractionApi)', () => {
	test('the credential has the fixed name, fields, defaults and Bearer authentication', async () => {
		const loader = await loadPackage();
		const type = loader.credentialTypes.nanonetsExtractionApi.type;
		expect(type.displayName).toBe('Nanonets Extraction API');
		expect(Object.fromEntries(type.properties.map((p) => [p.name, p.default]))).toEqual({
			apiKey: '',
			baseUrl: 'https://extraction-api.nanonets.com',
			pagesPerMinute: 20,
		});
		expect(type.authenticate).toMatchObject({ type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } });
		expect(type.test?.request.url).toBe('/api/v1/extract/results');
	});

	test('the resources and operations keep their values, in version 2 only', () => {
		for (const resource of ['extraction', 'documentClassification', 'chat']) {
			expect(optionValues('resource', {}, 2)).toContain(resource);
			expect(optionValues('resource', {}, 1)).not.toContain(resource);
		}
		expect(optionValues('operation', { resource: 'extraction' }, 2).sort()).toEqual(['extract', 'getAll', 'getResult']);
		expect(optionValues('operation', { resource: 'documentClassification' }, 2)).toEqual(['classify']);
		expect(optionValues('operation', { resource: 'chat' }, 2)).toEqual(['complete']);
	});

	test('the operations use the fixed parameter names and values', () => {
		expect(parametersOf('extraction', 'extract')).toEqual(
			expect.arrayContaining(['inputType', 'binaryPropertyName', 'documentUrl', 'outputFormats', 'fields', 'jsonSchema', 'waitForCompletion', 'options']),
		);
		expect(parametersOf('extraction', 'getResult')).toContain('recordId');
		expect(parametersOf('extraction', 'getAll')).toEqual(expect.arrayContaining(['returnAll', 'limit']));
		expect(parametersOf('documentClassification', 'classify')).toEqual(expect.arrayContaining(['inputType', 'binaryPropertyName', 'documentUrl', 'categories']));
		expect(parametersOf('chat', 'complete')).toEqual(expect.arrayContaining(['prompt', 'inputType', 'binaryPropertyName', 'documentUrl', 'model']));

		const extract = description.properties.filter((p) => p.displayOptions?.show?.resource?.includes('extraction') && p.displayOptions?.show?.operation?.includes('extract'));
		const byName = (name: string) => extract.find((p) => p.name === name)!;
		expect(byName('outputFormats').default).toEqual(['markdown']);
		expect((byName('outputFormats').options ?? []).map((o) => (o as { value: string }).value)).toEqual(['markdown', 'html', 'json', 'csv']);
		expect(byName('waitForCompletion').default).toBe(true);
		const options = byName('options').options as INodeProperties[];
		const option = (name: string) => options.find((o) => o.name === name)!;
		for (const name of ['customInstructions', 'promptMode', 'includeMetadata', 'pollInterval', 'timeout']) expect(option(name)).toBeDefined();
		expect((option('promptMode').options ?? []).map((o) => (o as { value: string }).value)).toEqual(['append', 'replace']);
		expect((option('includeMetadata').options ?? []).map((o) => (o as { value: string }).value)).toEqual(['boundingBoxes', 'confidenceScore']);

		const categories = description.properties.find((p) => p.name === 'categories' && p.displayOptions?.show?.resource?.includes('documentClassification'))!;
		const entry = (categories.options ?? [])[0] as { name: string; values: INodeProperties[] };
		expect(entry.name).toBe('category');
		expect(entry.values.map((v) => v.name)).toEqual(['name', 'description']);
		const model = description.properties.find((p) => p.name === 'model' && p.displayOptions?.show?.resource?.includes('chat'))!;
		expect(model.default).toBe('nanonets/Nanonets-OCR-s');
	});

	test('each resource is offered only the credential that works for it', () => {
		const credentials = description.credentials ?? [];
		const byName = (name: string) => credentials.find((c) => c.name === name)!;
		expect(byName('nanonetsExtractionApi').displayOptions?.show?.resource).toEqual(['extraction', 'documentClassification', 'chat']);
		for (const name of ['nanonetsAppApi', 'nanonetsLowCodeApi']) {
			expect(byName(name).displayOptions?.hide?.resource).toEqual(['extraction', 'documentClassification', 'chat']);
		}
		const authentication = description.properties.find((p) => p.name === 'authentication')!;
		expect(authentication.displayOptions?.hide?.resource).toEqual(['extraction', 'documentClassification', 'chat']);
	});
});
