'use strict';
/**
 * The extraction API resources as a user meets them in the real n8n editor (`npm run e2e`, or
 * alone: `npm run e2e -- --only=editor-extraction`). In a new workflow that reads an invoice:
 * add the Nanonets node, see which credentials the credential select offers for the v4/v2
 * resources and for each extraction resource, switch Resource back and forth, pick the
 * extraction credential, fill Extract's parameters, run it and see the markdown and JSON in
 * the output panel. Then every resource and operation of node version 2 is opened once, and
 * the browser console must stay free of errors. Screenshot: docs/editor-extraction.png.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** e2e.js requires this file, so its helpers are read when used, not at load time. */
const e2e = () => require('./e2e');

const API_KEY_CREDENTIAL = { id: 'e2eEdNanonetsKey1', name: 'Nanonets sandbox' };
const LOWCODE_CREDENTIAL = { id: 'e2eEdNanonetsLow1', name: 'Nanonets via LowCodeAPI sandbox' };
const EXTRACTION_CREDENTIAL = { id: 'e2eEdNanonetsExt1', name: 'Nanonets extraction sandbox' };
const INVOICE_FIELDS = { invoice_number: 'INV-7310', total_amount: '418.50', seller_name: 'Northwind Paper' };

/** The resources of node version 2 by the name the Resource list shows, and their operations' names. */
const V2_RESOURCES = {
	Chat: ['Complete'],
	'Document Classification': ['Classify'],
	Extraction: ['Extract', 'Get Many', 'Get Result'],
	'Full Text': ['Extract'],
	'Image Classification': ['Predict'],
	'Image Model': ['Create', 'Get', 'Get Many', 'Train', 'Upload Training Data'],
	'OCR Model': ['Create', 'Get', 'Train', 'Upload Training Data'],
	'OCR Prediction': ['Get Many', 'Get by File', 'Get by Page', 'Predict'],
	Workflow: ['Get', 'Get Many'],
	'Workflow Document': ['Delete', 'Get', 'Get Many', 'Get Original File', 'Get Page', 'Update Field', 'Upload', 'Verify'],
};
const EXTRACTION_RESOURCES = ['Extraction', 'Document Classification', 'Chat'];

function credentialsFile(sandbox) {
	return [
		{ ...API_KEY_CREDENTIAL, type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 } },
		{ ...LOWCODE_CREDENTIAL, type: 'nanonetsLowCodeApi', data: { apiToken: sandbox.config.lowCodeToken, baseUrl: sandbox.url, pagesPerMinute: 75 } },
		{ ...EXTRACTION_CREDENTIAL, type: 'nanonetsExtractionApi', data: { apiKey: sandbox.config.extractionKey, baseUrl: `${sandbox.url}/extraction-api`, pagesPerMinute: 300 } },
	];
}

/** Errors the editor's page logs or throws while the steps run. */
function watchConsole(page) {
	const errors = [];
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
	return errors;
}

/**
 * Errors that name nothing of this package's: the editor's own requests that a fresh instance
 * answers with an error (telemetry, templates, a missing favicon), logged on every page.
 */
const editorNoise = (text) => /Failed to load resource|favicon|telemetry|posthog|rudderstack|ERR_CONNECTION|net::ERR/i.test(text);

/** The credential select's entries: the ids of the credentials it offers. */
async function offeredCredentials(page) {
	const { testId, sleep } = e2e();
	const select = testId('node-credentials-select');
	await page.waitForSelector(select, { visible: true, timeout: 15_000 });
	await page.click(select);
	await sleep(600);
	const ids = await page.$$eval('[data-test-id^="node-credentials-select-item-"]', (elements) =>
		elements.filter((element) => element.offsetParent !== null).map((element) => element.getAttribute('data-test-id').replace('node-credentials-select-item-', '')),
	);
	await page.keyboard.press('Escape');
	await sleep(300);
	return ids.filter((id) => id !== 'new');
}

/** The credential types the credential select offers (each once, sorted), and the entries' ids. */
async function offeredTypes(page, server) {
	const ids = await offeredCredentials(page);
	const types = Object.fromEntries((await server.get('/credentials')).map((credential) => [credential.id, credential.type]));
	return { ids, types: [...new Set(ids.map((id) => types[id] ?? `unknown ${id}`))].sort() };
}

const V4_V2_TYPES = ['nanonetsAppApi', 'nanonetsLowCodeApi'];

/** Picks the credential `id` in the credential select. */
async function pickCredential(page, id) {
	const { testId, sleep, waitFor } = e2e();
	await page.click(testId('node-credentials-select'));
	const item = testId(`node-credentials-select-item-${id}`);
	await waitFor(`the credential ${id} in the credential select`, 10_000, () =>
		page.$$eval(item, (elements) => {
			const visible = elements.find((element) => element.offsetParent !== null);
			visible?.click();
			return Boolean(visible);
		}),
	250);
	await sleep(500);
}

/** The name of the credential the select shows. */
const pickedCredential = (page) =>
	page.$eval('[data-test-id="ndv"] [data-test-id="node-credentials-select"]', (element) => element.querySelector('input')?.value || element.textContent.trim());

/** The credential selects the panel shows (one per credential the node asks for). */
const credentialSelectCount = (page) =>
	page.$$eval('[data-test-id="node-credentials-select"]', (elements) => elements.filter((element) => element.offsetParent !== null).length);

/** Picks `option` in the options parameter `name` of the open panel. */
async function selectOption(page, name, option) {
	const { testId, sleep } = e2e();
	const input = `${testId('ndv')} ${testId(`parameter-input-${name}`)}`;
	await page.waitForSelector(input, { visible: true, timeout: 15_000 });
	await page.click(input);
	await sleep(400);
	const clicked = await page.$$eval(
		'.el-select-dropdown__item',
		(elements, wanted) => {
			const match = elements.find((element) => element.offsetParent !== null && (element.querySelector('.option-headline') ?? element).textContent.trim() === wanted);
			if (!match) return elements.filter((element) => element.offsetParent !== null).map((element) => element.textContent.trim());
			match.click();
			return true;
		},
		option,
	);
	if (clicked !== true) throw new Error(`${name} offers no "${option}" (it offers: ${clicked.join(' | ')})`);
	await sleep(500);
}

/** The value the options parameter `name` shows. */
const shownValue = (page, name) =>
	page.$eval(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`, (element) => element.querySelector('input')?.value || element.textContent.trim());

/** The names of the parameters the open panel shows. */
const shownParameters = (page) =>
	page.$$eval('[data-test-id="ndv"] [data-test-id="parameter-item"], [data-test-id="ndv"] [data-test-id^="parameter-input-"]', (elements) =>
		elements.filter((element) => element.offsetParent !== null).map((element) => element.getAttribute('data-test-id')),
	);

/**
 * The Nanonets node as n8n stored it: the editor saves a changed workflow by itself (autosave),
 * Ctrl+S saves at once; read once the stored version stays the same for two seconds.
 */
async function savedNode(page, server, workflowId) {
	const { sleep, waitFor } = e2e();
	await page.keyboard.down('Control');
	await page.keyboard.press('s');
	await page.keyboard.up('Control');
	let last;
	const saved = await waitFor('the workflow to be saved', 30_000, async () => {
		await sleep(2000);
		const workflow = await server.get(`/workflows/${workflowId}`);
		const settled = last && workflow.versionId === last.versionId;
		last = workflow;
		return settled ? workflow : undefined;
	}, 0);
	return saved.nodes.find((entry) => entry.type.endsWith('.nanonets'));
}

/** The name n8n gives a new credential of this type. */
const NEW_CREDENTIAL_NAME = 'Nanonets Extraction account';

/** The extraction credentials n8n has, name -> id. */
async function extractionCredentialIds(server) {
	const credentials = await server.get('/credentials');
	return Object.fromEntries(credentials.filter((credential) => credential.type === 'nanonetsExtractionApi').map((credential) => [credential.name, credential.id]));
}

/**
 * "Create new credential" in the select of an extraction resource: the dialog must be the
 * extraction API's, with its fields; saved, n8n runs its test request against the sandbox.
 */
async function createExtractionCredential(page, server, sandbox) {
	const { testId, check, log, sleep, waitFor, typeInto } = e2e();
	await page.click(testId('node-credentials-select'));
	await waitFor('"Create new credential" in the credential select', 10_000, () =>
		page.$$eval(testId('node-credentials-select-item-new'), (elements) => {
			const visible = elements.find((element) => element.offsetParent !== null);
			visible?.click();
			return Boolean(visible);
		}),
	250);
	const dialog = testId('credential-edit-dialog');
	await page.waitForSelector(dialog, { visible: true, timeout: 15_000 });
	await sleep(800);
	// What is on screen (innerText leaves out the dialog's hidden parts).
	const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
	check(/Nanonets Extraction API/.test(text) && /API Key/.test(text) && /Pages per Minute/.test(text), '"Create new credential" opens a Nanonets Extraction API credential with API Key, Base URL and Pages per Minute');
	await typeInto(page, `${dialog} ${testId('parameter-input-apiKey')} input`, sandbox.config.extractionKey);
	await typeInto(page, `${dialog} ${testId('parameter-input-baseUrl')} input`, `${sandbox.url}/extraction-api`);
	const tests = () => sandbox.state.requests.filter((request) => request.via === 'extraction' && request.path.endsWith('/extract/results'));
	const before = tests().length;
	await page.click(testId('credential-save-button'));
	// Saved and tested, the dialog closes by itself; a failing test keeps it open with the error.
	await page.waitForSelector(dialog, { hidden: true, timeout: 30_000 }).catch(async () => {
		throw new Error(`the credential dialog stayed open after Save (it shows: ${(await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ').slice(0, 600)})`);
	});
	const tested = tests().slice(before);
	check(tested.length >= 1 && tested.every((request) => request.status === 200), `saving the credential ran its test request against the sandbox (${tested.map((request) => request.status).join(', ')})`);
	await sleep(800);
	const ids = await extractionCredentialIds(server);
	check(NEW_CREDENTIAL_NAME in ids, `n8n has the new credential under its name (${Object.keys(ids).join(', ')})`);
}

/** The options Extract offers under Add Option, in the editor's words. */
const EXTRACT_OPTIONS = ['Attach as File', 'Custom Instructions', 'Include Metadata', 'Prompt Mode', 'Use Batch Requests', 'Poll Interval', 'Timeout', 'Request Timeout'];

/** Opens Options > Add Option, checks what it offers and adds `option`. */
async function addOption(page, option) {
	const { testId, check, log, sleep } = e2e();
	const add = `${testId('ndv')} ${testId('collection-parameter-add')}, ${testId('ndv')} ${testId('collection-parameter-add-dropdown')} button`;
	const handle = await page.waitForSelector(add, { visible: true, timeout: 15_000 });
	await handle.scrollIntoView();
	await handle.click();
	await sleep(600);
	const offered = await page.$$eval('.el-select-dropdown__item, [role="menuitem"]', (elements) =>
		elements.filter((element) => element.offsetParent !== null).map((element) => element.textContent.trim().replace(/\s+/g, ' ')),
	);
	log(`Add Option offers: ${offered.join(' | ')}`);
	const missing = EXTRACT_OPTIONS.filter((name) => !offered.some((text) => text.startsWith(name)));
	check(missing.length === 0, `Extract's Add Option offers ${EXTRACT_OPTIONS.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
	await page.$$eval(
		'.el-select-dropdown__item, [role="menuitem"]',
		(elements, wanted) => elements.find((element) => element.offsetParent !== null && element.textContent.trim().startsWith(wanted))?.click(),
		option,
	);
	await sleep(600);
}

async function createReadInvoiceWorkflow(server, invoicePath) {
	const workflow = {
		name: 'Invoice to the extraction API',
		nodes: [
			{ id: 'r1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'r2', name: 'Read invoice', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: invoicePath, options: {} } },
		],
		connections: { Start: { main: [[{ node: 'Read invoice', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	// Right after start-up n8n may not have mounted this route yet: it answers 404 for a moment.
	const { waitFor } = e2e();
	const created = await waitFor('the workflows route', 30_000, () => server.post('/workflows', workflow).catch((error) => (/answered 404/.test(error.message) ? undefined : Promise.reject(error))));
	return created.id;
}

/** The editor steps; every one fails the run when the editor does not show what it should. */
async function editorExtractionScenario(session, server, { invoicePath, invoiceFields, runDir, sandbox, credentials }) {
	const { testId, check, log, sleep, clickWhenReady, clickByText, waitForText, textsOf, screenshot, typeInto } = e2e();
	const page = await session.page(server);
	page.setDefaultTimeout(30_000);
	const errors = watchConsole(page);
	try {
		const workflowId = await createReadInvoiceWorkflow(server, invoicePath);
		await page.goto(`${server.url}/workflow/${workflowId}`, { waitUntil: 'networkidle2', timeout: 90_000 });
		await page.waitForSelector(`${testId('canvas-node')}[data-node-name="Read invoice"]`, { visible: true });
		await clickWhenReady(page, testId('canvas-handle-plus'));
		const search = testId('node-creator-search-bar');
		await page.waitForSelector(search, { visible: true });
		await sleep(800);
		await page.type(search, 'Nanonets');
		await waitForText(page, testId('node-creator-item-name'), /^Nanonets$/, 'the node panel finds Nanonets', 15_000);
		await clickByText(page, testId('node-creator-item-name'), 'Nanonets');
		await sleep(800);
		const actions = await textsOf(page, testId('node-creator-item-name'));
		log(`actions offered: ${actions.join(' | ')}`);
		check(actions.includes('Extract a document with the extraction API'), 'the Nanonets entry offers "Extract a document with the extraction API" among its actions');
		await clickByText(page, testId('node-creator-item-name'), 'Upload a document');
		await page.waitForSelector(testId('ndv'), { visible: true });
		await sleep(1000);
		log(`parameters shown (Workflow Document > Upload): ${(await shownParameters(page)).join(', ')}`);

		// Workflow Document: the v4/v2 credentials, in one select.
		let offered = await offeredTypes(page, server);
		check(
			offered.types.join() === V4_V2_TYPES.join() && offered.ids.includes(credentials.apiKey.id),
			`Workflow Document: the credential select offers the API key and LowCodeAPI credentials, not the extraction ones (${offered.types.join(', ')})`,
		);
		log(`the credential select shows "${await pickedCredential(page)}" when the node is added`);
		await pickCredential(page, credentials.apiKey.id);
		check((await pickedCredential(page)) === credentials.apiKey.name, 'the API key credential was picked');

		// The extraction resources: only the extraction credential.
		for (const resource of EXTRACTION_RESOURCES) {
			await selectOption(page, 'resource', resource);
			check((await shownValue(page, 'resource')) === resource, `Resource switched to ${resource}`);
			offered = await offeredTypes(page, server);
			check(
				offered.types.join() === 'nanonetsExtractionApi' && offered.ids.includes(credentials.extraction.id),
				`${resource}: the credential select offers only Nanonets Extraction API credentials (${offered.types.join(', ')})`,
			);
			check((await credentialSelectCount(page)) === 1, `${resource}: the panel shows one credential select`);
		}
		await selectOption(page, 'resource', 'Extraction');
		log(`the credential select shows "${await pickedCredential(page)}" on Extraction before picking`);
		await createExtractionCredential(page, server, sandbox);
		const picked = await pickedCredential(page);
		check(picked === NEW_CREDENTIAL_NAME, `the credential created from the select is picked ("${picked}")`);

		// Back to Workflow Document and again to Extraction: each shows its own credential, picked.
		await selectOption(page, 'resource', 'Workflow Document');
		offered = await offeredTypes(page, server);
		const back = await pickedCredential(page);
		log(`back on Workflow Document, the credential select shows "${back}"`);
		check(offered.types.join() === V4_V2_TYPES.join(), `back on Workflow Document, the select offers the API key and LowCodeAPI credentials again (${offered.types.join(', ')})`);
		let node = await savedNode(page, server, workflowId);
		log(`saved on Workflow Document: parameters ${JSON.stringify(node.parameters)}, credentials ${JSON.stringify(node.credentials)}`);
		check(!node.credentials?.nanonetsExtractionApi, 'back on Workflow Document, the saved node keeps no extraction credential');
		await selectOption(page, 'resource', 'Extraction');
		const again = await pickedCredential(page);
		log(`back on Extraction, the credential select shows "${again}"`);
		if (again !== NEW_CREDENTIAL_NAME) await pickCredential(page, (await extractionCredentialIds(server))[NEW_CREDENTIAL_NAME]);
		check((await pickedCredential(page)) === NEW_CREDENTIAL_NAME, 'back on Extraction, the created extraction credential is picked');

		// Extract's parameters.
		log(`parameters shown (Extraction > Extract): ${(await shownParameters(page)).join(', ')}`);
		await selectOption(page, 'operation', 'Extract');
		await page.click(`${testId('ndv')} ${testId('parameter-input-outputFormats')}`);
		await sleep(400);
		await clickByText(page, '.el-select-dropdown__item', 'JSON');
		await page.keyboard.press('Escape');
		await sleep(500);
		const formats = await page.$eval(`${testId('ndv')} ${testId('parameter-input-outputFormats')}`, (element) => element.textContent.trim().replace(/\s+/g, ' '));
		check(/Markdown/.test(formats) && /JSON/.test(formats), `Output Formats holds Markdown and JSON ("${formats}")`);
		await typeInto(page, `${testId('ndv')} ${testId('parameter-input-fields')} input`, 'invoice_number, total_amount');
		const schemaEditor = `${testId('ndv')} ${testId('parameter-input-jsonSchema')}`;
		check(await page.$(schemaEditor), 'with JSON among the formats, the JSON Schema parameter shows');
		await sleep(1000); // the JSON editor lints a moment after it is drawn
		const lint = await page.$$eval(`${schemaEditor} .cm-lint-marker-error, ${schemaEditor} .cm-lintRange-error`, (elements) => elements.length);
		const schemaText = await page.$eval(`${schemaEditor} .cm-content`, (element) => element.textContent.trim()).catch(() => '');
		check(lint === 0, `the untouched JSON Schema editor shows no JSON error ("${schemaText}", ${lint} error marks)`);
		await addOption(page, 'Custom Instructions');
		await typeInto(page, `${testId('ndv')} ${testId('parameter-input-customInstructions')} textarea`, 'Amounts without currency symbols');

		const sentBefore = sandbox.state.requests.length;
		await page.click(testId('node-execute-button'));
		const output = `${testId('output-panel')} ${testId('ndv-data-container')}`;
		await waitForText(page, output, new RegExp(invoiceFields.invoice_number), 'the extraction run on invoice.pdf', 60_000);
		await page.click(`${testId('ndv-input-panel')} ${testId('radio-button-schema')}`).catch(() => undefined);
		await page.click(`${testId('output-panel')} ${testId('radio-button-json')}`).catch(() => undefined);
		await sleep(1000);
		const shown = (await textsOf(page, output)).join(' ');
		check(/markdown/.test(shown) && /invoice_number/.test(shown) && shown.includes(invoiceFields.total_amount), 'the output panel shows the markdown and the JSON fields of the invoice');
		const sent = sandbox.state.requests.slice(sentBefore).filter((request) => request.via === 'extraction' && request.path.endsWith('/extract/sync'));
		check(sent.length === 1 && sent[0].status === 200, 'the run sent the file once to the extraction API, with the credential created in the editor');
		check(
			sent[0].fields?.custom_instructions?.[0] === 'Amounts without currency symbols' && sent[0].fields?.json_options?.[0] === '["invoice_number","total_amount"]',
			`the request carried the Fields and the Custom Instructions option filled in the panel (${JSON.stringify(sent[0].fields)})`,
		);
		// The panel's top, with the credential, for the README.
		await page.$eval(`${testId('ndv')} ${testId('parameter-input-resource')}`, (element) => {
			for (let parent = element.parentElement; parent; parent = parent.parentElement) if (parent.scrollHeight > parent.clientHeight) parent.scrollTop = 0;
		});
		await sleep(500);
		await screenshot(page, 'editor-extraction.png');
		node = await savedNode(page, server, workflowId);
		log(`saved after the run: parameters ${JSON.stringify(node.parameters)}, credentials ${JSON.stringify(node.credentials)}`);
		check(
			node.parameters.resource === 'extraction' && Object.keys(node.credentials ?? {}).join() === 'nanonetsExtractionApi' && node.credentials.nanonetsExtractionApi.name === NEW_CREDENTIAL_NAME,
			'the saved node holds the extraction credential only: no credential of the resources left behind',
		);

		const ours = errors.filter((text) => !editorNoise(text));
		log(`browser console errors so far: ${errors.length} (${ours.length} not the editor's own requests)`);
		for (const text of errors) log(`  console: ${text.slice(0, 300)}`);
		check(ours.length === 0, 'no errors in the browser console while adding and running the node');

		await operationLoop(page, errors);
	} catch (error) {
		await page.screenshot({ path: path.join(runDir, 'editor-extraction-failure.png') }).catch(() => undefined);
		throw error;
	} finally {
		await page.close();
	}
}

/** Opens every resource and operation of node version 2 once; the console must stay clean. */
async function operationLoop(page, errors) {
	const { check, log, sleep } = e2e();
	const before = errors.length;
	const problems = [];
	for (const [resource, operations] of Object.entries(V2_RESOURCES)) {
		await selectOption(page, 'resource', resource);
		for (const operation of operations) {
			await selectOption(page, 'operation', operation);
			await sleep(300);
			const parameters = await shownParameters(page);
			if (process.env.E2E_PANEL_TEXTS) {
				const text = await page.$eval('[data-test-id="ndv"]', (element) => element.innerText);
				fs.appendFileSync(process.env.E2E_PANEL_TEXTS, `\n===== ${resource} > ${operation}\n${text}\n`);
			}
			const fresh = errors.slice(before).filter((text) => !editorNoise(text));
			if (fresh.length) problems.push(`${resource} > ${operation}: ${fresh.join(' / ')}`);
			log(`${resource} > ${operation}: ${parameters.length} parameters shown`);
		}
	}
	check(problems.length === 0, `every resource and operation of node version 2 opens without a console error${problems.length ? `: ${problems.join('; ')}` : ''}`);
}

/**
 * The Nanonets Webhook Trigger's panel: the credential select offers the v4/v2 credentials only,
 * Resolve Document and Secret show, and Workflow goes with Resolve Document.
 */
async function webhookTriggerPanel(session, server, { runDir }) {
	const { testId, check, log, sleep, PACKAGE } = e2e();
	const page = await session.page(server);
	page.setDefaultTimeout(30_000);
	const errors = watchConsole(page);
	try {
		const workflow = {
			name: 'Nanonets exports',
			nodes: [{ id: 'h1', name: 'Nanonets Webhook Trigger', type: `${PACKAGE.name}.nanonetsWebhookTrigger`, typeVersion: 1, position: [0, 0], webhookId: 'a4f0c1d2-5b6e-4f70-8a91-b2c3d4e5f601', parameters: {} }],
			connections: {},
			settings: { executionOrder: 'v1' },
		};
		const { id } = await server.post('/workflows', workflow);
		await page.goto(`${server.url}/workflow/${id}`, { waitUntil: 'networkidle2', timeout: 90_000 });
		const node = `${testId('canvas-node')}[data-node-name="Nanonets Webhook Trigger"]`;
		await page.waitForSelector(node, { visible: true });
		await page.click(node, { count: 2 });
		await page.waitForSelector(testId('ndv'), { visible: true });
		await sleep(1000);
		const offered = await offeredTypes(page, server);
		check(
			offered.types.join() === V4_V2_TYPES.join(),
			`Nanonets Webhook Trigger: the credential select offers the API key and LowCodeAPI credentials, not the extraction ones (${offered.types.join(', ')})`,
		);
		const shown = await shownParameters(page);
		log(`webhook trigger parameters: ${shown.join(', ')}`);
		check(['secret', 'resolveDocument', 'workflowId', 'outputFormat'].every((name) => shown.includes(`parameter-input-${name}`)), 'the webhook trigger shows Secret, Resolve Document, Workflow and Output');
		await page.click(`${testId('ndv')} ${testId('parameter-input-resolveDocument')} .el-switch`);
		await sleep(800);
		const without = await shownParameters(page);
		check(without.includes('parameter-input-resolveDocument') && !without.includes('parameter-input-workflowId'), 'with Resolve Document off, the Workflow parameter goes away and Resolve Document stays');
		await page.screenshot({ path: path.join(runDir, 'webhook-trigger-no-resolve.png') });
		await page.click(testId('ndv-close-button'));
		await sleep(1500);
		await page.screenshot({ path: path.join(runDir, 'webhook-trigger-canvas.png') });
		const issues = await page.$$eval(`${node} [data-test-id="canvas-node-status-issues"], ${node} [data-test-id*="issue"]`, (elements) => elements.map((element) => element.getAttribute('data-test-id')));
		log(`webhook trigger without Resolve Document and without a credential: issue marks ${JSON.stringify(issues)}`);
		const ours = errors.filter((text) => !editorNoise(text));
		check(ours.length === 0, `no errors in the browser console in the webhook trigger's panel${ours.length ? `: ${ours.join(' / ')}` : ''}`);
	} catch (error) {
		await page.screenshot({ path: path.join(runDir, 'webhook-trigger-failure.png') }).catch(() => undefined);
		throw error;
	} finally {
		await page.close();
	}
}

/** Imports this part's credentials (one of each type, ids of their own) into the n8n of `n8n`. */
async function importEditorCredentials(n8n, userFolder, sandbox) {
	const { n8nCommand } = e2e();
	const file = path.join(userFolder, 'editor-credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentialsFile(sandbox)));
	await n8nCommand(n8n, ['import:credentials', `--input=${file}`]);
}

/**
 * The browser steps of this part, in a running n8n. `credentials`: an API key and an extraction
 * credential n8n has ({ id, name } each; the full run passes its own), besides a LowCodeAPI one.
 */
async function editorExtractionSteps(browser, server, { sandbox, runDir, invoicePath, invoiceFields = INVOICE_FIELDS, credentials = { apiKey: API_KEY_CREDENTIAL, extraction: EXTRACTION_CREDENTIAL } }) {
	const { log } = e2e();
	const started = Date.now();
	await webhookTriggerPanel(browser, server, { runDir });
	await editorExtractionScenario(browser, server, { invoicePath, invoiceFields, runDir, sandbox, credentials });
	log(`editor extraction steps took ${Math.round((Date.now() - started) / 1000)} s`);
}

/** `npm run e2e -- --only=editor-extraction`: the n8n set-up of e2e.js with only these steps. */
async function main() {
	const { installN8n, installPackage, checkModuleResolution, startSandbox, n8nEnv, freePort, withN8nServer, launchBrowser, log } = e2e();
	const { makePdf } = require('../test/fixtures/files');
	const cli = installN8n();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-editor-extraction-'));
	const userFolder = path.join(runDir, 'user');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const invoicePath = path.join(filesDir, 'invoice.pdf');
	fs.writeFileSync(invoicePath, makePdf({ spec: { fields: INVOICE_FIELDS } }));
	const installed = installPackage(runDir, userFolder);
	checkModuleResolution(installed, path.join(path.resolve(__dirname, '..'), '.e2e', 'n8n'));
	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 20, workflows: ['wf-invoices'] });
	log(`sandbox at ${sandbox.url}`);
	let passed = false;
	try {
		const n8n = { cli, runDir, env: n8nEnv(userFolder, filesDir, await freePort(process.env.E2E_N8N_PORT), await freePort()) };
		await importEditorCredentials(n8n, userFolder, sandbox);
		await withN8nServer(n8n, async (server) => {
			const browser = await launchBrowser();
			try {
				await editorExtractionSteps(browser, server, { sandbox, runDir, invoicePath });
			} finally {
				await browser.close();
			}
		});
		log('all editor extraction checks passed');
		passed = true;
	} finally {
		await sandbox.close();
		if (passed && !process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`the run's n8n user folder and n8n's log are kept in ${runDir}`);
	}
}

module.exports = { main, editorExtractionSteps };
