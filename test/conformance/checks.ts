/**
 * The checks of the conformance test (test/conformance.test.ts): which vendor operations each v2
 * endpoint of the node is, and how a recorded request and answer are held against them.
 */
import { endpoints, type EndpointName } from '../../nodes/Nanonets/transport/endpoints';
import { matchAnyExample, type Allowance } from './shape';
import { readVendorFile, type VendorFile, type VendorOperation } from './vendor';
import type { Sandbox } from '../engine/sandbox';

/** Which vendor operations each v2 endpoint of the node is (by operationId). */
export const VENDOR_OPERATIONS: Partial<Record<EndpointName, Array<[VendorFile, string]>>> = {
	fullText: [['konfig', 'GetFullText_fileContent']],
	createOcrModel: [['konfig', 'OcrModel_createNewModel']],
	getOcrModel: [['api-docs', 'ocr/model/id'], ['konfig', 'OcrModel_getModelById']],
	trainOcrModel: [['api-docs', 'ocr/train'], ['konfig', 'OcrTrain_model']],
	uploadOcrTrainingFile: [['api-docs', 'ocr/upload/file'], ['konfig', 'OcrUpload_trainingImagesFile']],
	uploadOcrTrainingUrls: [['api-docs', 'ocr/upload/url'], ['konfig', 'OcrUpload_trainingImagesByUrl']],
	// The node always predicts asynchronously (`?async=true`).
	predictOcrFile: [['api-docs', 'ocr/predict/file/async'], ['konfig', 'OcrPredict_imageFileAsyncPrediction']],
	predictOcrUrls: [['api-docs', 'ocr/predict/url/async'], ['konfig', 'OcrPredict_imageUrlAsync']],
	getOcrPredictionByFile: [['konfig', 'OcrPredict_getFilePredictionByFileId']],
	getOcrPredictionByPage: [['api-docs', 'ocr/predict/id'], ['konfig', 'OcrPredict_predictionFileByPageId']],
	listOcrPredictions: [['api-docs', 'ocr/predict/getFile'], ['konfig', 'OcrPredict_allPredictionFiles']],
	createImageModel: [['konfig', 'ImageClassificationModel_createNewModel']],
	getImageModel: [['api-docs', 'ic/model/id']],
	listImageModels: [['api-docs', 'ic/model/all'], ['konfig', 'ImageClassificationModel_getAllModels']],
	uploadImageTrainingFile: [['api-docs', 'ic/upload/file'], ['konfig', 'ImageClassificationModelUpload_trainingImagesFile']],
	uploadImageTrainingUrls: [['api-docs', 'ic/upload/url'], ['konfig', 'ImageClassificationModelUpload_byUrls']],
	trainImageModel: [['api-docs', 'ic/train'], ['konfig', 'ImageClassificationModelTrain_newModelTraining']],
	predictImageFile: [['api-docs', 'ic/predict/file'], ['konfig', 'ImageClassificationModelPredict_filePrediction']],
	predictImageUrls: [['api-docs', 'ic/predict/url'], ['konfig', 'ImageClassificationModelPredict_imageUrlPrediction']],
};

/**
 * Where the sandbox's answer may differ from every example of an operation, and why. Kept short:
 * each entry is a key the examples leave out but other published material shows.
 */
const BY_FILE_PAGE = 'konfig OcrPredict_getFilePredictionByFileId shows the same page objects with it';
const BY_PAGE_BOX = 'konfig OcrPredict_predictionFileByPageId shows it on predicted boxes, table boxes included';
const pageKeys = ['moderated_boxes', 'original_file_name', 'page', 'request_file_id', 'request_metadata', 'status', 'updated_at', 'verified_at', 'verified_by'];
const boxKeys = ['id', 'score', 'status', 'type', 'cells'];
export const ALLOWANCES: Partial<Record<EndpointName, Allowance[]>> = {
	// The list's example pages are shortened: Get by File's show what a page holds.
	listOcrPredictions: ['moderated_images', 'unmoderated_images'].flatMap((bucket) => [
		...pageKeys.map((key) => ({ path: `${bucket}[].${key}`, reason: BY_FILE_PAGE })),
		...boxKeys.map((key) => ({ path: `${bucket}[].predicted_boxes[].${key}`, reason: BY_PAGE_BOX })),
	]),
	// Unconfirmed: how this answer shows a reviewed page. The sandbox adds what Get by File's page
	// objects carry for it.
	getOcrPredictionByPage: ['is_moderated', 'moderated_boxes'].map((key) => ({ path: `result[].${key}`, reason: BY_FILE_PAGE })),
	getOcrPredictionByFile: ['moderated_images', 'unmoderated_images'].flatMap((bucket) =>
		['id', 'status'].map((key) => ({ path: `${bucket}[].predicted_boxes[].${key}`, reason: BY_PAGE_BOX })),
	),
};

export const V2_ENDPOINTS = (Object.keys(endpoints) as EndpointName[]).filter((name) => endpoints[name].path.startsWith('/api/v2/'));

export function endpointOf(method: string, path: string): EndpointName | undefined {
	return V2_ENDPOINTS.find((name) => {
		const endpoint = endpoints[name];
		const pattern = endpoint.path.replace(/\/+$/, '').replace(/\{\w+\}/g, '[^/]+');
		return endpoint.method === method && new RegExp(`^${pattern}/?$`).test(path);
	});
}

export type Recorded = Sandbox['state']['requests'][number] & { contentType?: string; bodyFields?: string[]; answer?: unknown };

export interface Row {
	operation: EndpointName;
	request: string;
	response: string;
	settledBy: string;
	failures: string[];
}

export function filesText(files: Iterable<string>): string {
	return [...new Set(files)].sort().join(' + ') || '-';
}

/** A query parameter declared as one (in the parameters or the path key), a body field in the body's schema. */
function declares(operation: VendorOperation, place: 'query' | 'body', key: string): boolean {
	return place === 'query' ? operation.parameters.query.includes(key) : operation.bodyFields.includes(key);
}

/** The request checks of one recorded request; failures name the operation and what is wrong. */
export function checkRequest(name: EndpointName, request: Recorded, operations: VendorOperation[]): { failures: string[]; settledBy: string } {
	const failures: string[] = [];
	const byMethod = operations.filter((operation) => operation.method === request.method);
	if (!byMethod.length) failures.push(`${name}: request method ${request.method} is not the vendor files' (${filesText(operations.map((o) => o.method))})`);
	const byPath = byMethod.filter((operation) => operation.pathPattern.test(request.path));
	if (byMethod.length && !byPath.length) failures.push(`${name}: request path ${request.path} matches no vendor path (${operations.map((o) => o.pathKey).join(', ')})`);
	const candidates = byPath.length ? byPath : operations;
	const settled = new Set<VendorFile>();
	if (request.contentType === undefined) {
		const bodiless = candidates.filter((operation) => operation.contentTypes.length === 0);
		if (!bodiless.length) failures.push(`${name}: the request has no body, every vendor file declares one`);
		bodiless.forEach((operation) => settled.add(operation.file));
	} else {
		const declaring = candidates.filter((operation) => operation.contentTypes.includes(request.contentType!));
		if (!declaring.length) {
			failures.push(`${name}: content type ${request.contentType} is not declared (${filesText(candidates.flatMap((o) => o.contentTypes))})`);
		}
		declaring.forEach((operation) => settled.add(operation.file));
	}
	const sent = [...Object.keys(request.query).map((key) => ['query', key] as const), ...(request.bodyFields ?? []).map((key) => ['body', key] as const)];
	const fromSamples: string[] = [];
	for (const [place, key] of sent) {
		const declaring = candidates.filter((operation) => declares(operation, place, key));
		if (declaring.length) {
			declaring.forEach((operation) => settled.add(operation.file));
			continue;
		}
		const sampled = candidates.filter((operation) => place === 'query' && operation.sampleNames.includes(key));
		if (sampled.length) {
			fromSamples.push(`${key} (${filesText(sampled.map((o) => o.file))} sample)`);
			continue;
		}
		failures.push(`${name}: ${place} parameter "${key}" is declared for this operation in no vendor file`);
	}
	// The file(s) that declare everything the request sent on their own; else those that do together.
	const sampledNames = new Set(fromSamples.map((text) => text.split(' ')[0]));
	const alone = candidates.filter((operation) =>
		(request.contentType === undefined ? operation.contentTypes.length === 0 : operation.contentTypes.includes(request.contentType)) &&
		sent.every(([place, key]) => sampledNames.has(key) || declares(operation, place, key)),
	);
	const files = alone.length ? filesText(alone.map((operation) => operation.file)).replace(' + ', ', ') : `${filesText(settled)} together`;
	const settledBy = `${files}${fromSamples.length ? `; ${fromSamples.join(', ')}` : ''}`;
	return { failures, settledBy };
}

/** The response check of one recorded answer. */
export function checkResponse(name: EndpointName, request: Recorded, operations: VendorOperation[]): { failures: string[]; settledBy?: string; noExample?: boolean } {
	const status = String(request.status);
	const examples = operations.flatMap((operation) => (operation.examples[status] ?? []).map((value) => ({ file: operation.file, value })));
	if (!examples.length) return { failures: [], noExample: true };
	const result = matchAnyExample(request.answer, examples, ALLOWANCES[name]);
	if (result.settledBy) return { failures: [], settledBy: result.settledBy };
	return {
		failures: result.mismatches.map((mismatch) => `${name}: answer ${status}: ${mismatch.path} ${mismatch.problem} (closest: ${result.file})`),
	};
}


/** The vendor operations of one endpoint, read from both files. */
export function vendorOperationsOf(name: EndpointName, files: Record<VendorFile, VendorOperation[]>): VendorOperation[] {
	return (VENDOR_OPERATIONS[name] ?? []).map(([file, id]) => {
		const found = files[file].find((operation) => operation.operationId === id);
		if (!found) throw new Error(`${name}: operation ${id} is not in the ${file} file`);
		return found;
	});
}

export function readVendorFiles(): Record<VendorFile, VendorOperation[]> {
	return { 'api-docs': readVendorFile('api-docs'), konfig: readVendorFile('konfig') };
}
