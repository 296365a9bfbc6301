'use strict';
// Where Nanonets' published material disagrees with itself, the sandbox can answer as each
// source says. The defaults follow Nanonets' own api-docs file and its recorded answers; a test
// switches one (`sandbox.state.published.<name> = ...`) and `state.resetPublished()` restores
// them. The sources are named in ../../README.md (Compatibility) and in the vendor files.
//
// The v4 document list has its own switches (v4.js: `listShape`, `pageSizeCap`).

const PUBLISHED_VARIANTS = {
	/**
	 * Image classification Get Model: the query parameter the server reads the model id from.
	 * 'id': the api-docs file's declaration; 'modelId': its Node.js and Python samples.
	 */
	imageModelIdParam: ['id', 'modelId'],
	/**
	 * Image classification Train: where the server reads `modelId`. 'query': the api-docs file
	 * (query parameter, samples without a body); 'body': the konfig file (form field).
	 */
	trainModelIdIn: ['query', 'body'],
	/**
	 * URL lists (OCR and image LabelUrls, image UploadUrls): 'urlencoded': the server reads only
	 * `application/x-www-form-urlencoded` (both files' declarations for OCR, the api-docs file for
	 * image classification, every SDK), a multipart body finds no `urls`; 'any-form': it reads
	 * multipart too (the konfig file declares multipart for image LabelUrls).
	 */
	urlListBody: ['urlencoded', 'any-form'],
	/** Full Text's list: 'results' (Nanonets' recorded answer, ocr-python) or 'result' (konfig example). */
	fullTextKey: ['results', 'result'],
	/** Page `status` / `message` values: 'Success' (the examples) or 'success' (also seen). */
	statusCase: ['Success', 'success'],
	/**
	 * `signed_urls` of Get Prediction File by File ID: 'object' (file name to URL, as Nanonets
	 * sends it) or 'array' (the konfig example's placeholder `[null]`).
	 */
	signedUrls: ['object', 'array'],
};

function defaultPublished() {
	return Object.fromEntries(Object.entries(PUBLISHED_VARIANTS).map(([name, values]) => [name, values[0]]));
}

/** Every published variant of a behaviour, for tests that run an operation against each. */
function variantsOf(name) {
	return [...PUBLISHED_VARIANTS[name]];
}

/** The answers as the two vendor OpenAPI files show them (for the conformance test). */
const AS_THE_VENDOR_FILES_SHOW = { fullTextKey: 'result', signedUrls: 'array' };

module.exports = { PUBLISHED_VARIANTS, defaultPublished, variantsOf, AS_THE_VENDOR_FILES_SHOW };
