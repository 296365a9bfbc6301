import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Every Nanonets endpoint the package calls, in one table used by both credential types.
 * Paths use Nanonets' own spelling; `{name}` marks a path parameter.
 * Every request is repeated after a 429 (Nanonets did nothing); `idempotent` says whether it may
 * also be repeated after a 5xx or a connection error, when Nanonets may have acted on it.
 */
export interface Endpoint {
	method: IHttpRequestMethods;
	path: string;
	/** Doing it twice has the effect of doing it once (reads, deletes): it may be repeated. */
	idempotent: boolean;
	/**
	 * How to read a 404 answering a repeat: `done` when the first attempt may have done the job
	 * and only its answer was lost (a delete repeated after a 502 finds nothing left to delete).
	 */
	notFoundOnRepeat?: 'done';
	/** Counts against the account's pages-per-minute budget. */
	consumesPages?: boolean;
	/**
	 * How a v2 request body is encoded, as Nanonets' published descriptions give it (see
	 * ../vendor in the project's notes and the Compatibility section of the README):
	 * `multipart` (a file, or Full Text's URLs), `urlencoded` (repeated `urls` and other text
	 * fields), `json`. The operations build the body from this, through `v2Body`.
	 */
	body?: BodyKind;
}

export type BodyKind = 'json' | 'multipart' | 'urlencoded';

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
	| 'predictImageUrls'
	| 'extractSync'
	| 'extractAsync'
	| 'extractBatch'
	| 'getExtractionResult'
	| 'listExtractionResults'
	| 'classifySync'
	| 'chatCompletion';

const v4Documents = '/api/v4/workflows/{workflow_id}/documents';

export const endpoints: Record<EndpointName, Endpoint> = {
	// v4 workflows (the list answers `{ workflows: [...] }` or a bare array)
	listWorkflows: { method: 'GET', path: '/api/v4/workflows', idempotent: true },
	getWorkflow: { method: 'GET', path: '/api/v4/workflows/{workflow_id}', idempotent: true },

	// v4 review: paths from Nanonets' Go SDK (verify, original) and API docs (field update).
	// Setting a status or a value twice gives the same result, so both may be repeated.
	verifyDocument: { method: 'POST', path: `${v4Documents}/{document_id}/verify`, idempotent: true },
	updateDocumentField: { method: 'PATCH', path: `${v4Documents}/{document_id}/pages/{page_id}/fields/{field_data_id}`, idempotent: true },
	// Answers the file itself; possibly JSON holding a download address instead (unconfirmed).
	getDocumentOriginal: { method: 'GET', path: `${v4Documents}/{document_id}/original`, idempotent: true },

	// v4 workflow documents
	uploadDocument: { method: 'POST', path: v4Documents, idempotent: false, consumesPages: true },
	listDocuments: { method: 'GET', path: v4Documents, idempotent: true },
	getDocument: { method: 'GET', path: `${v4Documents}/{document_id}`, idempotent: true },
	getDocumentPage: { method: 'GET', path: `${v4Documents}/{document_id}/pages/{page_id}`, idempotent: true },
	deleteDocument: { method: 'DELETE', path: `${v4Documents}/{document_id}`, idempotent: true, notFoundOnRepeat: 'done' },

	// v2 full-text OCR. LowCodeAPI's listing calls this a GET with `file` and `urls` query
	// parameters; Nanonets' own description makes it a multipart POST, which we follow.
	fullText: { method: 'POST', path: '/api/v2/OCR/FullText', idempotent: false, consumesPages: true, body: 'multipart' },

	// v2 OCR models
	createOcrModel: { method: 'POST', path: '/api/v2/OCR/Model/', idempotent: false, body: 'json' },
	getOcrModel: { method: 'GET', path: '/api/v2/OCR/Model/{model_id}', idempotent: true },
	trainOcrModel: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/Train/', idempotent: false },
	uploadOcrTrainingFile: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/UploadFile/', idempotent: false, body: 'multipart' },
	// JSON (`urls` and `data` arrays): the konfig file's request body and every api-docs sample.
	uploadOcrTrainingUrls: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/UploadUrls/', idempotent: false, body: 'json' },

	// v2 OCR predictions
	predictOcrFile: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/LabelFile/', idempotent: false, consumesPages: true, body: 'multipart' },
	predictOcrUrls: { method: 'POST', path: '/api/v2/OCR/Model/{model_id}/LabelUrls/', idempotent: false, consumesPages: true, body: 'urlencoded' },
	getOcrPredictionByFile: {
		method: 'GET',
		path: '/api/v2/Inferences/Model/{model_id}/InferenceRequestFiles/GetPredictions/{request_file_id}',
		idempotent: true,
	},
	getOcrPredictionByPage: {
		method: 'GET',
		path: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences/{page_id}',
		idempotent: true,
	},
	listOcrPredictions: { method: 'GET', path: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences', idempotent: true },

	// v2 image classification: the model id travels as a form field or query parameter, not in
	// the path (IMAGE_MODEL_ID_FIELD, IMAGE_MODEL_ID_QUERY_NAMES, IMAGE_TRAIN_MODEL_ID_IN below).
	// Create Model is URL-encoded as the konfig file declares; its samples send either form.
	createImageModel: { method: 'POST', path: '/api/v2/ImageCategorization/Model/', idempotent: false, body: 'urlencoded' },
	getImageModel: { method: 'GET', path: '/api/v2/ImageCategorization/Model/', idempotent: true },
	listImageModels: { method: 'GET', path: '/api/v2/ImageCategorization/Models/', idempotent: true },
	uploadImageTrainingFile: { method: 'POST', path: '/api/v2/ImageCategorization/UploadFile/', idempotent: false, body: 'multipart' },
	uploadImageTrainingUrls: { method: 'POST', path: '/api/v2/ImageCategorization/UploadUrls/', idempotent: false, body: 'urlencoded' },
	trainImageModel: { method: 'POST', path: '/api/v2/ImageCategorization/Train/', idempotent: false, body: 'urlencoded' },
	predictImageFile: { method: 'POST', path: '/api/v2/ImageCategorization/LabelFile/', idempotent: false, consumesPages: true, body: 'multipart' },
	predictImageUrls: { method: 'POST', path: '/api/v2/ImageCategorization/LabelUrls/', idempotent: false, consumesPages: true, body: 'urlencoded' },

	// Extraction API (credential nanonetsExtractionApi, its own base URL): the v1 endpoints,
	// the better documented ones. Chat lives at /v1/..., everything else at /api/v1/... .
	extractSync: { method: 'POST', path: '/api/v1/extract/sync', idempotent: false, consumesPages: true },
	extractAsync: { method: 'POST', path: '/api/v1/extract/async', idempotent: false, consumesPages: true },
	extractBatch: { method: 'POST', path: '/api/v1/extract/batch', idempotent: false, consumesPages: true },
	getExtractionResult: { method: 'GET', path: '/api/v1/extract/results/{record_id}', idempotent: true },
	listExtractionResults: { method: 'GET', path: '/api/v1/extract/results', idempotent: true },
	classifySync: { method: 'POST', path: '/api/v1/classify/sync', idempotent: false, consumesPages: true },
	chatCompletion: { method: 'POST', path: '/v1/chat/completions', idempotent: false, consumesPages: true },
};

/**
 * Choices Nanonets' published material leaves open, each decided here and nowhere else. Where
 * the sources disagree the node sends what satisfies every one of them (README, Compatibility).
 */

/** The image-classification model id as a form field (every source agrees on `modelId`). */
export const IMAGE_MODEL_ID_FIELD = 'modelId';

/**
 * Image classification Get Model: the query parameters that carry the model id. The api-docs
 * file declares `id`; its own Node.js and Python samples send `modelId`: both are sent.
 */
export const IMAGE_MODEL_ID_QUERY_NAMES = ['id', 'modelId'] as const;

/**
 * Image classification Train: where `modelId` travels. The api-docs file declares a query
 * parameter and its samples send no body; the konfig file declares a form field: both.
 */
export const IMAGE_TRAIN_MODEL_ID_IN = { query: true, body: true } as const;

/**
 * Full Text: the key of the per-file list. Nanonets' recorded answer (its ocr-python
 * notebook) says `results`; the konfig file's example says `result`: either is read.
 */
export const FULL_TEXT_RESULT_KEYS = ['results', 'result'] as const;

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
