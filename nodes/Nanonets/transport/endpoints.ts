import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Every Nanonets endpoint the package calls, in one table used by both credential types.
 * Paths use Nanonets' own spelling; `{name}` marks a path parameter.
 *
 * `retry`: `safe` requests (reads, deletes) are repeated on 5xx and connection errors;
 * `onlyWhenRefused` requests create something, so they are repeated only when the server
 * said it did not process them (429).
 */
export interface Endpoint {
	method: IHttpRequestMethods;
	path: string;
	retry: 'safe' | 'onlyWhenRefused';
	/** Counts against the account's pages-per-minute budget. */
	consumesPages?: boolean;
}

export type EndpointName =
	| 'listWorkflows'
	| 'getWorkflow'
	| 'verifyDocument'
	| 'updateDocumentField'
	| 'getDocumentOriginal'
	| 'uploadDocument'
	| 'listDocuments'
	| 'getDocument'
	| 'getDocumentPage'
	| 'deleteDocument'
	| 'fullText'
	| 'createOcrModel'
	| 'getOcrModel'
	| 'trainOcrModel'
	| 'uploadOcrTrainingFile'
	| 'uploadOcrTrainingUrls'
	| 'predictOcrFile'
	| 'predictOcrUrls'
	| 'getOcrPredictionByFile'
	| 'getOcrPredictionByPage'
	| 'listOcrPredictions'
	| 'createImageModel'
	| 'getImageModel'
	| 'listImageModels'
	| 'uploadImageTrainingFile'
	| 'uploadImageTrainingUrls'
	| 'trainImageModel'
	| 'predictImageFile'
	| 'predictImageUrls';

const v4Documents = '/api/v4/workflows/{workflow_id}/documents';

export const endpoints: Record<EndpointName, Endpoint> = {
	// v4 workflows (the list answers `{ workflows: [...] }` or a bare array)
	listWorkflows: { method: 'GET', path: '/api/v4/workflows', retry: 'safe' },
	getWorkflow: { method: 'GET', path: '/api/v4/workflows/{workflow_id}', retry: 'safe' },

	// v4 review: paths from Nanonets' Go SDK (verify, original) and API docs (field update).
	// Setting a status or a value twice gives the same result, so both may be repeated.
	verifyDocument: { method: 'POST', path: `${v4Documents}/{document_id}/verify`, retry: 'safe' },
	updateDocumentField: { method: 'PATCH', path: `${v4Documents}/{document_id}/pages/{page_id}/fields/{field_data_id}`, retry: 'safe' },
	// Answers the file itself; possibly JSON holding a download address instead (unconfirmed).
	getDocumentOriginal: { method: 'GET', path: `${v4Documents}/{document_id}/original`, retry: 'safe' },

	// v4 workflow documents
	uploadDocument: { method: 'POST', path: v4Documents, retry: 'onlyWhenRefused', consumesPages: true },
	listDocuments: { method: 'GET', path: v4Documents, retry: 'safe' },
	getDocument: { method: 'GET', path: `${v4Documents}/{document_id}`, retry: 'safe' },
	getDocumentPage: { method: 'GET', path: `${v4Documents}/{document_id}/pages/{page_id}`, retry: 'safe' },
	deleteDocument: { method: 'DELETE', path: `${v4Documents}/{document_id}`, retry: 'safe' },

	// v2 full-text OCR. LowCodeAPI's listing calls this a GET with `file` and `urls` query
	// parameters; Nanonets' own description makes it a multipart POST, which we follow.
	fullText: { method: 'POST', path: '/api/v2/OCR/FullText', retry: 'onlyWhenRefused', consumesPages: true },

	// v2 OCR models
	createOcrModel: { method: 'POST', path: '/api/v2/OCR/Model/', retry: 'onlyWhenRefused' },
	getOcrModel: { method: 'GET', path: '/api/v2/OCR/Model/{model_id}', retry: 'safe' },
	trainOcrModel: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/Train/', retry: 'onlyWhenRefused' },
	uploadOcrTrainingFile: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/UploadFile/', retry: 'onlyWhenRefused' },
	uploadOcrTrainingUrls: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/UploadUrls/', retry: 'onlyWhenRefused' },

	// v2 OCR predictions
	predictOcrFile: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/LabelFile/', retry: 'onlyWhenRefused', consumesPages: true },
	predictOcrUrls: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/LabelUrls/', retry: 'onlyWhenRefused', consumesPages: true },
	getOcrPredictionByFile: {
		method: 'GET',
		path: '/api/v2/Inferences/Model/{model_id}/InferenceRequestFiles/GetPredictions/{request_file_id}',
		retry: 'safe',
	},
	getOcrPredictionByPage: {
		method: 'GET',
		path: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences/{page_id}',
		retry: 'safe',
	},
	listOcrPredictions: { method: 'GET', path: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences', retry: 'safe' },

	// v2 image classification: the model id travels as a form field or query parameter
	// (IMAGE_MODEL_ID_FIELD), not in the path.
	createImageModel: { method: 'POST', path: '/api/v2/ImageCategorization/Model/', retry: 'onlyWhenRefused' },
	getImageModel: { method: 'GET', path: '/api/v2/ImageCategorization/Model/', retry: 'safe' },
	listImageModels: { method: 'GET', path: '/api/v2/ImageCategorization/Models/', retry: 'safe' },
	uploadImageTrainingFile: { method: 'POST', path: '/api/v2/ImageCategorization/UploadFile/', retry: 'onlyWhenRefused' },
	uploadImageTrainingUrls: { method: 'POST', path: '/api/v2/ImageCategorization/UploadUrls/', retry: 'onlyWhenRefused' },
	trainImageModel: { method: 'POST', path: '/api/v2/ImageCategorization/Train/', retry: 'onlyWhenRefused' },
	predictImageFile: { method: 'POST', path: '/api/v2/ImageCategorization/LabelFile/', retry: 'onlyWhenRefused', consumesPages: true },
	predictImageUrls: { method: 'POST', path: '/api/v2/ImageCategorization/LabelUrls/', retry: 'onlyWhenRefused', consumesPages: true },
};

/**
 * The name Nanonets' v2 image-classification endpoints give the model id (form field, and
 * query parameter of Get Model). LowCodeAPI's listing shows `id` for Get Model; Nanonets'
 * own description says `modelId`, which we follow.
 */
export const IMAGE_MODEL_ID_FIELD = 'modelId';

/** Days since 1970-01-01 UTC, the unit of the v2 prediction list's date range. */
export function daysSinceEpoch(date: Date): number {
	return Math.floor(date.getTime() / 86_400_000);
}

/** Fills `{name}` path parameters; ids are URL-encoded so they can never change the path. */
export function fillPath(template: string, pathParams: Record<string, string> = {}): string {
	return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
		const value = pathParams[name];
		if (value === undefined) throw new Error(`Missing path parameter "${name}"`);
		return encodeURIComponent(value);
	});
}

/**
 * LowCodeAPI's older URL format: the path lower-cased, each path parameter's name left in the
 * path and its value moved to the query string.
 */
export function toLowCodeOldFormat(
	template: string,
	pathParams: Record<string, string> = {},
): { path: string; query: Record<string, string> } {
	const query: Record<string, string> = {};
	const path = template
		.replace(/\{(\w+)\}/g, (_match, name: string) => {
			if (pathParams[name] === undefined) throw new Error(`Missing path parameter "${name}"`);
			query[name] = pathParams[name];
			return name;
		})
		.toLowerCase()
		.replace(/\/+$/, '');
	return { path, query };
}
