import { checkRequest, checkResponse, readVendorFiles, vendorOperationsOf, type Recorded } from './conformance/checks';
import { compareShape, matchAnyExample } from './conformance/shape';
import { vendorFilesPresent } from './conformance/vendor';

/**
 * The conformance checker fails when it should: answers and requests broken on purpose, held
 * against the vendor files' own operations and examples.
 */

describe('compareShape', () => {
	const example = { model_id: 'x', state: 0, categories: [{ name: 'a', count: 0 }] };

	test('the same keys and types at every level conform', () => {
		expect(compareShape({ model_id: 'm', state: 5, categories: [{ name: 'cat', count: 10 }, { name: 'dog', count: 2 }] }, example)).toEqual([]);
	});

	test('a renamed key is named twice: missing, and not in the example', () => {
		expect(compareShape({ modelId: 'm', state: 5, categories: [] }, example)).toEqual([
			{ path: 'model_id', problem: 'is in the vendor example but missing from the answer' },
			{ path: 'modelId', problem: 'is not in the vendor example' },
		]);
	});

	test('a value of another type fails with its path, inside lists too', () => {
		expect(compareShape({ model_id: 'm', state: '5', categories: [{ name: 'cat', count: '10' }] }, example)).toEqual([
			{ path: 'state', problem: 'is string, the vendor example has number' },
			{ path: 'categories[].count', problem: 'is string, the vendor example has number' },
		]);
	});

	test('a list element must match one of the example\'s elements', () => {
		const boxes = { prediction: [{ label: 'a', ocr_text: 'x' }, { label: '', cells: [{ text: 'c' }] }] };
		expect(compareShape({ prediction: [{ label: 'b', ocr_text: 'y' }, { label: '', cells: [{ text: 'd' }] }] }, boxes)).toEqual([]);
		expect(compareShape({ prediction: [{ label: 'b', text: 'y' }] }, boxes)).toEqual([
			{ path: 'prediction[].ocr_text', problem: 'is in the vendor example but missing from the answer' },
			{ path: 'prediction[].text', problem: 'is not in the vendor example' },
		]);
	});

	test('an example\'s null is a placeholder; an allowance lets one named key through, no other', () => {
		expect(compareShape({ signed_urls: { 'a.jpg': 'https://x' } }, { signed_urls: null })).toEqual([]);
		const allowed = [{ path: 'pages[].request_file_id', reason: 'test' }];
		expect(compareShape({ pages: [{ id: 'p', request_file_id: 'f' }] }, { pages: [{ id: 'p' }] }, allowed)).toEqual([]);
		expect(compareShape({ pages: [{ id: 'p', request_id: 'f' }] }, { pages: [{ id: 'p' }] }, allowed)).toEqual([
			{ path: 'pages[].request_id', problem: 'is not in the vendor example' },
		]);
	});
});

(vendorFilesPresent() ? describe : describe.skip)('against the vendor files', () => {
	const files = readVendorFiles();
	const request = (overrides: Partial<Recorded>): Recorded => ({ method: 'GET', path: '/', query: {}, via: 'direct', status: 200, at: 0, ...overrides });

	test('Full Text answered with `results` does not match the konfig example, which says `result`', () => {
		const operations = vendorOperationsOf('fullText', files);
		const example = operations[0].examples['200'][0] as { result: unknown[] };
		expect(matchAnyExample(example, [{ file: 'konfig', value: example }]).settledBy).toBe('konfig');
		const check = checkResponse('fullText', request({ method: 'POST', answer: { results: example.result } }), operations);
		expect(check.failures).toEqual([
			'fullText: answer 200: result is in the vendor example but missing from the answer (closest: konfig)',
			'fullText: answer 200: results is not in the vendor example (closest: konfig)',
		]);
	});

	test('an OCR URL prediction sent as multipart fails: both files declare it URL-encoded', () => {
		const operations = vendorOperationsOf('predictOcrUrls', files);
		const sent = { method: 'POST', path: '/api/v2/OCR/Model/m-1/LabelUrls/', query: { async: 'true' }, bodyFields: ['urls'] };
		expect(checkRequest('predictOcrUrls', request({ ...sent, contentType: 'application/x-www-form-urlencoded' }), operations).failures).toEqual([]);
		expect(checkRequest('predictOcrUrls', request({ ...sent, contentType: 'multipart/form-data' }), operations).failures).toEqual([
			'predictOcrUrls: content type multipart/form-data is not declared (application/x-www-form-urlencoded)',
		]);
	});

	test('a parameter no vendor file declares for the operation fails, naming it', () => {
		const operations = vendorOperationsOf('getOcrModel', files);
		expect(checkRequest('getOcrModel', request({ path: '/api/v2/OCR/Model/m-1', query: { modelId: 'm-1' } }), operations).failures).toEqual([
			'getOcrModel: query parameter "modelId" is declared for this operation in no vendor file',
		]);
	});

	test('image Get Model: `id` is declared, `modelId` comes from the api-docs file\'s own samples', () => {
		const operations = vendorOperationsOf('getImageModel', files);
		const check = checkRequest('getImageModel', request({ path: '/api/v2/ImageCategorization/Model/', query: { id: 'm', modelId: 'm' } }), operations);
		expect(check).toEqual({ failures: [], settledBy: 'api-docs; modelId (api-docs sample)' });
	});

	test('a wrong method or path fails', () => {
		const operations = vendorOperationsOf('trainImageModel', files);
		expect(checkRequest('trainImageModel', request({ method: 'GET', path: '/api/v2/ImageCategorization/Train/' }), operations).failures[0]).toMatch(
			/^trainImageModel: request method GET is not the vendor files'/,
		);
		expect(checkRequest('trainImageModel', request({ method: 'POST', path: '/api/v2/ImageCategorization/Training/', contentType: 'application/x-www-form-urlencoded', bodyFields: ['modelId'] }), operations).failures[0]).toMatch(
			/^trainImageModel: request path \/api\/v2\/ImageCategorization\/Training\/ matches no vendor path/,
		);
	});
});
