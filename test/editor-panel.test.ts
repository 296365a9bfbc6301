/**
 * What the n8n editor shows in the node panels, as far as the node descriptions decide it
 * (`npm run e2e -- --only=editor-extraction` checks the same in the real editor):
 * - n8n's JSON editor marks a value that is not JSON as an error, the empty text included: a
 *   JSON parameter's default must be JSON, or every user sees an error on an untouched field;
 * - those defaults ({} for the JSON schema, [] for training annotations) mean "not set".
 */
import type { INodeProperties, INodePropertyCollection, INodeType } from 'n8n-workflow';

import { binaryItem, makePdf, makePng } from './fixtures/files';
import { jsonOf, loadPackage, runNode } from './engine/harness';
import { credentialsFor, openSandbox, type Sandbox } from './engine/sandbox';

/** Every property of a node description, with the options of its collections, depth first. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = (property.options ?? []).flatMap((option) => {
			if ('type' in option) return allProperties([option as INodeProperties]);
			if ('values' in option) return allProperties((option as INodePropertyCollection).values);
			return [];
		});
		return [property, ...nested];
	});
}

test.each(['nanonets', 'nanonetsTrigger', 'nanonetsWebhookTrigger'])('every JSON parameter of %s has a default that is JSON', async (name) => {
	const loader = await loadPackage();
	const { description } = loader.nodeTypes[name].type as INodeType;
	const json = allProperties(description.properties).filter((property) => property.type === 'json');
	for (const property of json) {
		expect({ name: property.name, parses: (() => { try { JSON.parse(String(property.default)); return true; } catch { return false; } })() }).toEqual({ name: property.name, parses: true });
	}
	if (name === 'nanonets') expect(json.map((property) => property.name).sort()).toEqual(['annotations', 'jsonSchema']);
});

describe('the JSON defaults mean "not set"', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await openSandbox({ extractionSyncMs: 10 });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const spec = { fields: { invoice_number: 'INV-88', total_amount: '75.00' } };
	const extract = (parameters: Record<string, unknown>) =>
		runNode({
			parameters: { resource: 'extraction', operation: 'extract', inputType: 'binary', outputFormats: ['json'], ...parameters },
			items: [binaryItem(makePdf({ spec }), 'invoice.pdf')],
			credentials: credentialsFor(sandbox),
			typeVersion: 2,
		});

	test.each([
		['left at its default', {}],
		['{} typed by the user', { jsonSchema: '{ }' }],
		['{} as an object', { jsonSchema: {} }],
	])('a JSON schema %s lets Fields decide', async (_, schema) => {
		const result = await extract({ fields: 'invoice_number', ...schema });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].json).toEqual({ invoice_number: 'INV-88' });
		expect(sandbox.requestsTo('/extract/sync')[0].fields?.json_options).toEqual(['["invoice_number"]']);
	});

	test('a JSON schema left at {} without Fields sends no json_options: Nanonets picks the fields', async () => {
		const result = await extract({});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].json).toEqual({ invoice_number: 'INV-88', total_amount: '75.00' });
		expect(sandbox.requestsTo('/extract/sync')[0].fields).not.toHaveProperty('json_options');
	});

	test('training annotations left at [] upload the file unannotated, as without the option', async () => {
		const created = await runNode({ parameters: { resource: 'ocrModel', operation: 'create', categories: 'invoice_number' }, credentials: credentialsFor(sandbox) });
		const modelId = String(jsonOf(created)[0].model_id);
		const upload = (options: Record<string, unknown>) =>
			runNode({
				parameters: { resource: 'ocrModel', operation: 'uploadTrainingData', modelId, inputType: 'binary', options },
				items: [binaryItem(makePng(), 'invoice.png', 'image/png')],
				credentials: credentialsFor(sandbox),
			});
		const withDefault = await upload({ annotations: '[]' });
		const without = await upload({});
		expect(withDefault.error).toBeUndefined();
		const sent = sandbox.requestsTo(`/OCR/Model/${modelId}/UploadFile/`).map((request) => request.fields?.data);
		expect(sent).toHaveLength(2);
		expect(sent[0]).toEqual(sent[1]);
		expect(JSON.parse(sent[0]?.[0] ?? '')).toEqual([{ filename: 'invoice.png', object: [] }]);
		expect(jsonOf(withDefault)[0].Data).toEqual(jsonOf(without)[0].Data.map((entry: { id: string }) => ({ ...entry, id: expect.any(String) })));
	});
});
