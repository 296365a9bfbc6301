'use strict';
// v2: full text, OCR models and predictions, image classification models and predictions.
// Shapes follow Nanonets' v2 OpenAPI description (its examples); error bodies are
// `{ message, code }` with the description's own wording, as it gives no error body shape.
const crypto = require('node:crypto');

const { extractionFor, hashOf, readSpec, confidenceFor, TABLE_HEADERS } = require('./extraction');
const { MAX_FILE_BYTES, fileKind, pageCount, takePages } = require('./limits');

const V2_ACCEPTED = ['pdf', 'jpeg', 'png', 'tiff'];
/** A model that exists but whose account has no free calls left: predictions answer 402. */
const NO_CREDITS_MODEL = 'model-no-credits';
const DAY_MS = 86_400_000;

const MESSAGES = {
	unknownModel: 'Model does not exists. Check if the model id exists',
	fewCategories: 'Zero or One category in request. Add two or more categories in parameters',
	noCategories: 'No categories in request. Add one or more categories in parameters',
	fileMissing: 'File missing. Check if you have included a file in the request',
	badImage: 'Incorrect image. Check if file you included is a valid PNG or JPEG or PDF',
	urlsMissing: 'Urls missing. Check if you have an included array of image urls',
	badCategory: 'Category not valid for model. Check if this model has the category used in the request',
	notReady: 'Model not ready for training. Check if the images for the model are uploaded',
	noCredits: 'Exhausted Free API Calls. You have exhausted your free API calls please change your plan',
};

const DEFAULT_MODELS = [
	{ model_id: 'ocr-invoices', model_type: 'ocr', categories: ['invoice_number', 'total_amount'], state: 5 },
	{ model_id: 'ic-animals', model_type: 'classification', categories: ['cat', 'dog'], state: 5 },
	{ model_id: NO_CREDITS_MODEL, model_type: 'ocr', categories: ['invoice_number'], state: 5 },
];

/** A URL the sandbox cannot "download": host bad.example, or not http(s). */
function badUrl(url) {
	try {
		const parsed = new URL(url);
		return !['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === 'bad.example';
	} catch {
		return true;
	}
}

function v2Routes(state, { reply, errorReply }) {
	const config = state.config;
	const trainingMs = () => config.trainingMs ?? 300;
	state.predictionPages ??= [];
	for (const seed of config.models ?? DEFAULT_MODELS) addModel(seed);

	function addModel({ model_id, model_type, categories, state: modelState = 0 }) {
		const model = {
			model_id: model_id ?? crypto.randomUUID(),
			model_type,
			categories: new Map(categories.map((name) => [name, modelState >= 5 ? 10 : 0])),
			state: modelState,
			trainStartedAt: undefined,
		};
		state.models.set(model.model_id, model);
		return model;
	}

	/** The model as the API shows it: after Train, queued, then training, then hosted. */
	function view(model) {
		let shown = model.state;
		if (model.trainStartedAt !== undefined) {
			const elapsed = Date.now() - model.trainStartedAt;
			shown = elapsed >= trainingMs() ? 5 : elapsed >= trainingMs() / 3 ? 4 : 3;
		}
		return {
			categories: [...model.categories].map(([name, count]) => ({ count, name })),
			model_id: model.model_id,
			model_type: model.model_type,
			state: shown,
		};
	}

	function findModel(id, type) {
		const model = id === undefined ? undefined : state.models.get(String(id));
		if (!model || (type && model.model_type !== type)) throw errorReply(404, MESSAGES.unknownModel);
		return model;
	}

	/** A field from a multipart form, a urlencoded or JSON body, or the query; always a list. */
	function values(request, name) {
		const fromForm = request.form?.fields?.[name];
		if (fromForm) return fromForm;
		const fromBody = request.body?.[name] ?? request.query?.[name];
		if (fromBody === undefined || fromBody === null) return [];
		return Array.isArray(fromBody) ? fromBody.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [String(fromBody)];
	}

	/** The uploaded file, checked as Nanonets checks it. */
	function uploadedFile(request) {
		const file = request.form?.files?.file?.[0];
		if (!file) return undefined;
		if (file.data.length > MAX_FILE_BYTES) throw errorReply(413, 'File size exceeds the 20MB limit');
		const kind = fileKind(file.data);
		if (!kind || !V2_ACCEPTED.includes(kind)) throw errorReply(400, MESSAGES.badImage);
		return { name: file.filename, data: file.data, pages: pageCount(file.data, kind) };
	}

	/** A field of the request body only (multipart, URL-encoded or JSON), never the query. */
	function bodyValues(request, name) {
		return values({ form: request.form, body: request.body }, name);
	}

	/** 'Success' or 'success', as the published variant says (published.js). */
	function success() {
		return state.published.statusCase;
	}

	/**
	 * The inputs of a file-or-URLs request: [{ name, data?, pages, bad }]. `urlList`: an endpoint
	 * that takes its URL list URL-encoded (published.urlListBody).
	 */
	function inputsOf(request, { fileOnly = false, urlsOnly = false, urlList = false } = {}) {
		const file = urlsOnly ? undefined : uploadedFile(request);
		if (file) return [{ ...file, bad: false, spec: readSpec(file.data) }];
		if (fileOnly) throw errorReply(400, MESSAGES.fileMissing);
		// A server that reads only URL-encoded forms finds no `urls` in a multipart body.
		const unread = urlList && state.published.urlListBody === 'urlencoded' && request.contentType !== 'application/x-www-form-urlencoded';
		const urls = (unread ? [] : values(request, 'urls')).flatMap((value) => value.split(',')).map((url) => url.trim()).filter(Boolean);
		if (!urls.length) throw errorReply(400, urlsOnly ? MESSAGES.urlsMissing : MESSAGES.fileMissing);
		return urls.map((url) => {
			if (badUrl(url)) return { name: url, bad: true, pages: 0 };
			// A URL's query can steer the sandbox: ?pages=3&never=true
			const parsed = new URL(url);
			return {
				name: url,
				bad: false,
				pages: Math.max(1, Number(parsed.searchParams.get('pages') ?? 1)),
				spec: { never: parsed.searchParams.get('never') === 'true' },
			};
		});
	}

	/** 202 when some URLs failed, 400 when all did. */
	function partial(inputs, body) {
		const bad = inputs.filter((input) => input.bad).length;
		if (bad === 0) return body;
		if (bad === inputs.length) throw errorReply(400, 'None of the urls could be downloaded. Check that they are public http(s) URLs');
		return reply(202, body);
	}

	function chargePredictions(request, model, inputs) {
		if (config.freeCallsExhausted || model.model_id === NO_CREDITS_MODEL) throw errorReply(402, MESSAGES.noCredits);
		const pages = inputs.reduce((total, input) => total + (input.bad ? 0 : input.pages), 0);
		if (pages) takePages(state, request.account, pages, reply);
	}

	// ---- OCR predictions ---------------------------------------------------------------

	function boxesOf(page) {
		const boxes = [];
		let y = 100;
		for (const [label, value] of Object.entries(page.extraction.fields)) {
			for (const text of Array.isArray(value) ? value : [value]) {
				y += 40;
				boxes.push({
					id: `${page.id}-${label}-${boxes.length}`,
					label,
					ocr_text: String(text),
					score: confidenceFor(`${page.id}${label}`),
					status: 'correctly_predicted',
					type: 'field',
					xmin: 100,
					ymin: y,
					xmax: 400,
					ymax: y + 30,
				});
			}
		}
		const rows = page.extraction.rows;
		if (rows.length) {
			const headers = page.headers ?? TABLE_HEADERS;
			const cells = [];
			rows.forEach((row, r) =>
				row.forEach((text, c) =>
					// The cells of every vendor example of this answer have these keys (some have more).
					cells.push({
						row: r + 1,
						col: c + 1,
						col_span: 1,
						row_span: 1,
						label: headers[c] ?? `column_${c + 1}`,
						text: String(text),
						score: 99.99,
						xmin: 100 + c * 150,
						ymin: 400 + r * 30,
						xmax: 240 + c * 150,
						ymax: 425 + r * 30,
					}),
				),
			);
			boxes.push({ id: `${page.id}-t1`, label: '', ocr_text: 'table 1', score: 99.99, status: 'correctly_predicted', type: 'table', xmin: 100, ymin: 400, xmax: 800, ymax: 400 + rows.length * 30, cells });
		}
		return boxes;
	}

	const ready = (page) => !page.never && Date.now() >= page.readyAt;

	function createPredictionFile(model, input, metadata) {
		const requestFileId = crypto.randomUUID();
		const spec = input.spec ?? {};
		const extraction = extractionFor(input.data ?? Buffer.from(input.name), input.pages, spec);
		const now = Date.now();
		const pages = extraction.map((pageExtraction, index) => ({
			id: `${requestFileId}-p${index}`,
			request_file_id: requestFileId,
			model_id: model.model_id,
			page: index,
			input: input.name,
			request_metadata: metadata ?? '',
			createdAt: spec.day !== undefined ? spec.day * DAY_MS : now,
			readyAt: now + (spec.delayMs ?? config.processingMs + config.perPageMs * input.pages),
			never: spec.never === true,
			extraction: pageExtraction,
			headers: spec.headers,
		}));
		state.predictionPages.push(...pages);
		return pages;
	}

	/** A page as the prediction endpoints show it. */
	function resultEntry(page) {
		const done = ready(page);
		return {
			message: done ? success() : 'pending',
			input: page.input,
			page: page.page,
			request_file_id: page.request_file_id,
			id: page.id,
			request_metadata: page.request_metadata,
			file_url: `uploadedfiles/${page.model_id}/PredictionImages/${page.id}.jpeg`,
			filepath: `uploadedfiles/${page.model_id}/PredictionImages/${page.id}.jpeg`,
			prediction: done ? boxesOf(page) : [],
		};
	}

	/** A page as the retrieval endpoints show it (moderated / unmoderated buckets). */
	function imageEntry(page) {
		const done = ready(page);
		const reviewed = page.review !== undefined;
		return {
			day_since_epoch: Math.floor(page.createdAt / DAY_MS),
			hour_of_day: new Date(page.createdAt).getUTCHours(),
			file_url: `uploadedfiles/${page.model_id}/PredictionImages/${page.id}.jpeg`,
			id: page.id,
			is_moderated: reviewed,
			model_id: page.model_id,
			moderated_boxes: reviewed ? page.review.boxes : [],
			original_file_name: page.input,
			page: page.page,
			predicted_boxes: done ? boxesOf(page) : [],
			request_file_id: page.request_file_id,
			request_metadata: page.request_metadata,
			status: done ? success() : 'pending',
			updated_at: page.review?.at ?? timeUuid(page.createdAt),
			url: `uploadedfiles/${page.model_id}/PredictionImages/${page.id}.jpeg`,
			verified_at: page.review?.at ?? '',
			verified_by: page.review?.by ?? '',
		};
	}

	/** A time-based id, as Nanonets dates its page records. */
	function timeUuid(ms) {
		const hex = BigInt(ms).toString(16).padStart(12, '0');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-1000-8000-000000000000`;
	}

	/** Download addresses of the page images: an object of file name to URL, or the konfig example's list. */
	function signedUrlsOf(pages) {
		if (state.published.signedUrls === 'array') return [];
		return Object.fromEntries(pages.map((page) => [
			`${page.id}.jpeg`,
			`https://sandbox.invalid/uploadedfiles/${page.model_id}/PredictionImages/${page.id}.jpeg?X-Amz-Signature=sandbox`,
		]));
	}

	/** Pages in the published buckets: reviewed pages are `moderated_images`, the others `unmoderated_images`. */
	function buckets(pages) {
		const moderated = pages.filter((page) => page.review !== undefined).map(imageEntry);
		const unmoderated = pages.filter((page) => page.review === undefined).map(imageEntry);
		return {
			moderated_images: moderated,
			moderated_images_count: moderated.length,
			signed_urls: signedUrlsOf(pages),
			unmoderated_images: unmoderated,
			unmoderated_images_count: unmoderated.length,
		};
	}

	/**
	 * A reviewer's corrections of a predicted page, as Nanonets' review screen makes them:
	 * `values` maps field labels to the corrected text. The page then carries `moderated_boxes`
	 * (every box, with the corrections) beside the model's `predicted_boxes`.
	 */
	state.reviewV2Page = (pageId, values, by = 'reviewer@sandbox.invalid') => {
		const page = state.predictionPages.find((candidate) => candidate.id === pageId);
		if (!page) throw new Error(`no predicted page ${pageId}`);
		const boxes = boxesOf(page).map((box) => (box.type === 'field' && values[box.label] !== undefined ? { ...box, ocr_text: String(values[box.label]), status: 'moderated' } : box));
		page.review = { boxes, at: timeUuid(Date.now()), by };
	};

	async function predictOcr(request, inputs) {
		const model = findModel(request.params.model_id, 'ocr');
		chargePredictions(request, model, inputs);
		const metadata = values(request, 'request_metadata')[0];
		const isAsync = String(request.query.async ?? '').toLowerCase() === 'true';
		const isUrls = inputs.some((input) => input.data === undefined);
		const files = inputs.map((input) => ({ input, pages: input.bad ? [] : createPredictionFile(model, input, metadata) }));
		if (isAsync) {
			// Nanonets' async example nests each input's pages in a result of their own.
			return partial(inputs, {
				message: success(),
				// The examples name the input on this level for URLs only (konfig OcrPredict_imageUrlAsync).
				result: files.map(({ input, pages }) => ({
					message: input.bad ? 'Failure: the file could not be downloaded' : success(),
					...(isUrls ? { input: input.name } : {}),
					result: pages.map(resultEntry),
				})),
			});
		}
		const all = files.flatMap((file) => file.pages);
		const waitUntil = Math.max(0, ...all.filter((page) => !page.never).map((page) => page.readyAt));
		if (waitUntil > Date.now()) await new Promise((resolve) => setTimeout(resolve, waitUntil - Date.now()));
		return partial(inputs, { message: success(), result: all.map(resultEntry) });
	}

	// ---- image classification ------------------------------------------------------------

	function classify(model, input) {
		const hash = hashOf(input.data ?? Buffer.from(input.name));
		const names = [...model.categories.keys()];
		const weights = names.map((_, i) => 1 + parseInt(hash.slice(i * 2, i * 2 + 2), 16));
		const sum = weights.reduce((a, b) => a + b, 0);
		return names.map((label, i) => ({ label, probability: Number((weights[i] / sum).toFixed(4)) }));
	}

	/** The image model id of a form request (field `modelId`). */
	function modelIdOf(request) {
		return bodyValues(request, 'modelId')[0];
	}

	/** Get Model: the id from the query parameter the published variant names. */
	function queryModelId(request) {
		return request.query[state.published.imageModelIdParam];
	}

	/** Train: `modelId` where the published variant puts it, in the query or in the body. */
	function trainModelId(request) {
		return state.published.trainModelIdIn === 'query' ? request.query.modelId : modelIdOf(request);
	}

	return [
		{
			method: 'POST',
			template: '/api/v2/OCR/FullText',
			handler(request) {
				const inputs = inputsOf(request);
				const pages = inputs.reduce((total, input) => total + (input.bad ? 0 : input.pages), 0);
				if (pages) takePages(state, request.account, pages, reply);
				// `results` as Nanonets' recorded answer, or `result` as the konfig example (published.js).
				return partial(inputs, {
					[state.published.fullTextKey]: inputs.map((input) => {
						if (input.bad) return { filename: input.name, message: 'Failure: the file could not be downloaded', page_data: [] };
						const extraction = extractionFor(input.data ?? Buffer.from(input.name), input.pages, input.spec ?? {});
						return {
							filename: input.name,
							page_data: extraction.map((page, index) => {
								const words = [
									...Object.entries(page.fields).flatMap(([name, value]) => [name, String(value)]),
									...page.rows.flat().map(String),
								];
								return {
									page: index,
									raw_text: words.join(' '),
									words: words.map((text, i) => ({ text, xmin: 100 + (i % 5) * 120, ymin: 100 + Math.floor(i / 5) * 30, xmax: 200 + (i % 5) * 120, ymax: 125 + Math.floor(i / 5) * 30 })),
								};
							}),
						};
					}),
				});
			},
		},
		{
			method: 'POST',
			template: '/api/v2/OCR/Model/',
			handler(request) {
				const categories = values(request, 'categories');
				if (!categories.length) throw errorReply(400, MESSAGES.noCategories);
				return view(addModel({ model_type: 'ocr', categories }));
			},
		},
		{
			method: 'GET',
			template: '/api/v2/OCR/Model/{model_id}',
			handler: ({ params }) => view(findModel(params.model_id, 'ocr')),
		},
		{
			method: 'POST',
			template: '/api/v2/OCR/Model/{model_id}/Train/',
			handler({ params }) {
				const model = findModel(params.model_id, 'ocr');
				if (model.state < 1) throw errorReply(400, MESSAGES.notReady);
				model.trainStartedAt = Date.now();
				return view(model);
			},
		},
		...['UploadFile', 'UploadUrls'].map((kind) => ({
			method: 'POST',
			template: `/api/v2/OCR/Model/{model_id}/${kind}/`,
			handler(request) {
				const model = findModel(request.params.model_id, 'ocr');
				const inputs = inputsOf(request, kind === 'UploadFile' ? { fileOnly: true } : { urlsOnly: true });
				let data = [];
				try {
					data = JSON.parse(values(request, 'data')[0] ?? '[]');
				} catch {
					throw errorReply(400, 'data is not valid JSON');
				}
				if (!Array.isArray(data)) data = request.body?.data ?? [];
				for (const entry of data) {
					for (const object of entry.object ?? []) {
						if (!model.categories.has(object.name)) throw errorReply(400, MESSAGES.badCategory);
						model.categories.set(object.name, model.categories.get(object.name) + 1);
					}
				}
				const annotated = data.some((entry) => (entry.object ?? []).length > 0);
				if (model.state < 2) model.state = annotated ? 2 : 1;
				const shown = view(model);
				return partial(inputs, {
					Data: inputs.filter((input) => !input.bad).map((input) => ({
						filename: input.name,
						id: crypto.randomUUID(),
						object: data.find((entry) => entry.filename === input.name)?.object ?? [],
						size: { height: 1024, width: 1024 },
					})),
					Meta: {
						Accuracy: 0,
						Categories: shown.categories,
						ModelID: model.model_id,
						ModelType: 'ocr',
						State: shown.state,
						Status: annotated ? 'Training data annotated' : 'Training data uploaded',
					},
				});
			},
		})),
		{
			method: 'POST',
			template: '/api/v2/OCR/Model/{model_id}/LabelFile/',
			handler: (request) => predictOcr(request, inputsOf(request, { fileOnly: true })),
		},
		{
			method: 'POST',
			template: '/api/v2/OCR/Model/{model_id}/LabelUrls/',
			handler: (request) => predictOcr(request, inputsOf(request, { urlsOnly: true, urlList: true })),
		},
		{
			method: 'GET',
			template: '/api/v2/Inferences/Model/{model_id}/InferenceRequestFiles/GetPredictions/{request_file_id}',
			handler({ params }) {
				findModel(params.model_id, 'ocr');
				const pages = state.predictionPages.filter(
					(page) => page.model_id === params.model_id && page.request_file_id === params.request_file_id,
				);
				if (!pages.length) throw errorReply(404, `No prediction file ${params.request_file_id} for this model`);
				return buckets(pages);
			},
		},
		{
			method: 'GET',
			template: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences/{page_id}',
			handler({ params }) {
				findModel(params.model_id, 'ocr');
				const page = state.predictionPages.find((p) => p.model_id === params.model_id && p.id === params.page_id);
				if (!page) throw errorReply(404, `No predicted page ${params.page_id} for this model`);
				// Both vendor files show this answer's entries with only input, message and prediction.
				const done = ready(page);
				const entry = { input: page.input, message: done ? success() : 'pending', prediction: done ? boxesOf(page) : [] };
				// Unconfirmed: a reviewed page's values, as Get by File shows them.
				if (page.review) Object.assign(entry, { is_moderated: true, moderated_boxes: page.review.boxes });
				return { message: success(), result: [entry] };
			},
		},
		{
			method: 'GET',
			template: '/api/v2/Inferences/Model/{model_id}/ImageLevelInferences',
			handler({ params, query }) {
				findModel(params.model_id, 'ocr');
				const start = Number(query.start_day_interval);
				const end = Number(query.current_batch_day);
				if (!Number.isInteger(start) || !Number.isInteger(end)) {
					throw errorReply(400, 'start_day_interval and current_batch_day must be whole numbers of days since 1970-01-01');
				}
				const pages = state.predictionPages.filter((page) => {
					const day = Math.floor(page.createdAt / DAY_MS);
					return page.model_id === params.model_id && day >= start && day <= end;
				});
				const shown = buckets(pages);
				delete shown.signed_urls;
				return shown;
			},
		},
		{
			method: 'POST',
			template: '/api/v2/ImageCategorization/Model/',
			handler(request) {
				const categories = [...new Set(values(request, 'categories').flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean))];
				if (categories.length < 2) throw errorReply(400, MESSAGES.fewCategories);
				return view(addModel({ model_type: 'classification', categories }));
			},
		},
		{
			method: 'GET',
			template: '/api/v2/ImageCategorization/Model/',
			handler: (request) => view(findModel(queryModelId(request), 'classification')),
		},
		{
			method: 'GET',
			template: '/api/v2/ImageCategorization/Models/',
			handler: () => [...state.models.values()].filter((model) => model.model_type === 'classification').map(view),
		},
		...['UploadFile', 'UploadUrls'].map((kind) => ({
			method: 'POST',
			template: `/api/v2/ImageCategorization/${kind}/`,
			handler(request) {
				const model = findModel(modelIdOf(request), 'classification');
				const category = values(request, 'category')[0];
				if (!category || !model.categories.has(category)) throw errorReply(400, MESSAGES.badCategory);
				const inputs = inputsOf(request, kind === 'UploadFile' ? { fileOnly: true } : { urlsOnly: true, urlList: true });
				const good = inputs.filter((input) => !input.bad).length;
				model.categories.set(category, model.categories.get(category) + good);
				// A category name is the image's annotation: uploaded images are ready to train.
				if (good && model.state < 2) model.state = 2;
				return partial(inputs, view(model));
			},
		})),
		{
			method: 'POST',
			template: '/api/v2/ImageCategorization/Train/',
			handler(request) {
				const model = findModel(trainModelId(request), 'classification');
				if (model.state < 1) throw errorReply(400, MESSAGES.notReady);
				model.trainStartedAt = Date.now();
				return view(model);
			},
		},
		...['LabelFile', 'LabelUrls'].map((kind) => ({
			method: 'POST',
			template: `/api/v2/ImageCategorization/${kind}/`,
			handler(request) {
				const model = findModel(modelIdOf(request), 'classification');
				const inputs = inputsOf(request, kind === 'LabelFile' ? { fileOnly: true } : { urlsOnly: true, urlList: true });
				chargePredictions(request, model, inputs);
				return partial(inputs, {
					message: success(),
					model_id: model.model_id,
					result: inputs.map((input) =>
						input.bad
							? { file: input.name, message: 'Failure: the file could not be downloaded', prediction: [] }
							: { file: input.name, message: success(), ...(kind === 'LabelUrls' ? { page: 0 } : {}), prediction: classify(model, input) },
					),
				});
			},
		})),
	];
}

module.exports = { v2Routes, NO_CREDITS_MODEL };
