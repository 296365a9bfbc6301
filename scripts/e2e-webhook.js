'use strict';
/**
 * The Nanonets Webhook Trigger in a real n8n (`npm run e2e`, or only this part with
 * `npm run e2e -- --only=webhook`): an active workflow's production URL is registered in the
 * sandbox as Nanonets' "Export to Webhook"; an upload and a verify each start the workflow
 * once, with the document reaching the next node; Nanonets' repeated delivery starts nothing;
 * a wrong token is answered 401 and starts nothing. Prints the time from each export to the
 * execution's start. Screenshot of the node's panel with its URL into docs/.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WEBHOOK_WORKFLOW_ID = 'e2eNanonetsWebhook1';
const WEBHOOK_ID = '3c9d2f6e-8a41-4b7c-9e25-1f6a0d4b8c73';
const TRIGGER_NAME = 'Nanonets Webhook Trigger';
const NEXT_NODE = 'Record export';
const TOKEN = 'e2e-webhook-token-4d2a91';
const WORKFLOW = 'wf-invoices';
const UPLOADS = 6;

/** e2e.js requires this file, so its helpers are read when used, not at load time. */
const e2e = () => require('./e2e');

function webhookWorkflow(credentialId) {
	const { PACKAGE } = e2e();
	return {
		id: WEBHOOK_WORKFLOW_ID,
		name: 'Nanonets Webhook Trigger (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { [TRIGGER_NAME]: { main: [[{ node: NEXT_NODE, type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'w1',
				name: TRIGGER_NAME,
				type: `${PACKAGE.name}.nanonetsWebhookTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: {
					secret: TOKEN,
					resolveDocument: true,
					authentication: 'apiKey',
					workflowId: { __rl: true, mode: 'id', value: WORKFLOW },
					outputFormat: 'simplified',
				},
				credentials: { nanonetsAppApi: { id: credentialId, name: 'Nanonets sandbox' } },
			},
			{ id: 'w2', name: NEXT_NODE, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
	};
}

/** Imports the workflow and publishes it, so that `n8n start` activates its production URL. */
async function importWebhookWorkflow(n8n, userFolder, credentialId) {
	const { n8nCommand } = e2e();
	const file = path.join(userFolder, `${WEBHOOK_WORKFLOW_ID}.json`);
	fs.writeFileSync(file, JSON.stringify(webhookWorkflow(credentialId)));
	await n8nCommand(n8n, ['import:workflow', `--input=${file}`]);
	await n8nCommand(n8n, ['publish:workflow', `--id=${WEBHOOK_WORKFLOW_ID}`]);
}

const basicAuth = (sandbox) => `Basic ${Buffer.from(`${sandbox.config.apiKey}:`).toString('base64')}`;

async function sandboxCall(sandbox, method, route, body) {
	const response = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { Authorization: basicAuth(sandbox), 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** The executions the webhook started, oldest first, each read in full. */
async function webhookExecutions(server) {
	const { listExecutions, readExecution } = e2e();
	const listed = (await listExecutions(server, WEBHOOK_WORKFLOW_ID)).filter((execution) => execution.mode === 'webhook');
	const executions = [];
	for (const execution of listed.reverse()) executions.push(await readExecution(server, execution.id));
	return executions;
}

const recordedIn = (execution) => (execution.data.resultData.runData[NEXT_NODE]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);

/**
 * In `n8n start` with the webhook workflow active. Returns the latency figures (ms).
 */
async function webhookScenario(server, sandbox, { makePdf }) {
	const { check, waitFor, sleep, log } = e2e();
	const productionUrl = `${server.url}/webhook/${WEBHOOK_ID}/nanonets`;

	// A wrong token: 401, nothing starts. (It also shows the production URL is registered.)
	const refused = await waitFor('the production URL to answer', 30_000, async () => {
		const response = await fetch(`${productionUrl}?token=wrong-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document_id: 'x', status: 'success', pages: [] }) });
		return response.status === 404 ? undefined : response;
	}, 500);
	check(refused.status === 401, `a delivery with a wrong token is answered ${refused.status} (401)`);
	const noToken = await fetch(productionUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"document_id":"y","status":"success","pages":[]}' });
	check(noToken.status === 401, `a delivery without the token is answered ${noToken.status} (401)`);
	const notJson = await fetch(`${productionUrl}?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'text/html' }, body: '<p>hello</p>' });
	check(notJson.status === 400, `a delivery that is not JSON is answered ${notJson.status} (400)`);
	await sleep(2000);
	check((await webhookExecutions(server)).length === 0, 'the refused deliveries started nothing');

	// Registered in the sandbox as a user does in the Nanonets app, token in the URL; every export
	// is delivered twice, as Nanonets may repeat a delivery.
	const registration = await sandboxCall(sandbox, 'POST', '/sandbox/webhooks', { url: `${productionUrl}?token=${TOKEN}`, workflow_id: WORKFLOW, variant: 'v2-object', events: ['inference', 'approval', 'rejection'], repeat: 2 });

	const uploaded = [];
	for (let n = 1; n <= UPLOADS; n++) {
		const form = new FormData();
		const fields = { invoice_number: `INV-W${n}`, total_amount: `${n}00.00` };
		form.append('file', new Blob([makePdf({ spec: { fields } })], { type: 'application/pdf' }), `webhook-${n}.pdf`);
		const response = await fetch(`${sandbox.url}/api/v4/workflows/${WORKFLOW}/documents`, { method: 'POST', headers: { Authorization: basicAuth(sandbox) }, body: form });
		check(response.ok, `webhook-${n}.pdf was uploaded to the sandbox`);
		const id = (await response.json()).document_id;
		uploaded.push({ id, fields });
		await waitFor(`the execution for webhook-${n}.pdf`, 30_000, async () => (await webhookExecutions(server)).some((execution) => recordedIn(execution).some((item) => item.document_id === id)), 250);
	}
	// Reviewer approves the first document: On Approval exports it again, with the new status.
	await sandboxCall(sandbox, 'POST', `/api/v4/workflows/${WORKFLOW}/documents/${uploaded[0].id}/verify`, { verification_status: 'success', verification_message: 'approved in e2e' });
	await waitFor('the execution for the approval', 30_000, async () => (await webhookExecutions(server)).length >= UPLOADS + 1, 250);
	await sleep(3000); // a repeated delivery that started a run would show by now

	const executions = await webhookExecutions(server);
	const { deliveries } = await sandboxCall(sandbox, 'GET', '/sandbox/webhooks');
	await sandboxCall(sandbox, 'DELETE', `/sandbox/webhooks/${registration.id}`);
	check(deliveries.length === 2 * (UPLOADS + 1) && deliveries.every((entry) => entry.status === 200), `Nanonets' ${deliveries.length} deliveries (each export twice) were all answered 200`);
	check(executions.length === UPLOADS + 1, `each export started the workflow once: ${executions.length} executions for ${UPLOADS} uploads and 1 verify, each delivered twice`);
	check(executions.every((execution) => execution.status === 'success'), 'the webhook executions succeeded');
	for (const [n, { id, fields }] of uploaded.entries()) {
		const items = executions.flatMap(recordedIn).filter((item) => item.document_id === id);
		check(items.length === (n === 0 ? 2 : 1), `webhook-${n + 1}.pdf reached "${NEXT_NODE}" ${items.length} time(s)`);
		check(items[0].fields?.invoice_number === fields.invoice_number && items[0].status === 'success', `the item of webhook-${n + 1}.pdf carries the read document's fields (${items[0].fields?.invoice_number})`);
	}
	const approved = recordedIn(executions[executions.length - 1])[0];
	check(approved.document_id === uploaded[0].id, 'the approval started the workflow with the approved document');
	check(!JSON.stringify(executions.map(recordedIn)).includes(TOKEN) && !JSON.stringify(executions.map(recordedIn)).includes(sandbox.config.apiKey), 'neither the token nor the API key is in the items');

	// Latency: from the sandbox's first delivery of an export to the start of the execution it caused.
	const latencies = [];
	const answered = [];
	for (const execution of executions) {
		const [item] = recordedIn(execution);
		const started = Date.parse(execution.startedAt);
		// The export that started it: the latest sent before the start; of its copies, the first.
		const latest = deliveries.filter((entry) => entry.document_id === item.document_id && entry.at <= started).sort((a, b) => b.at - a.at)[0];
		const sent = deliveries.filter((entry) => entry.document_id === item.document_id && entry.event === latest.event).sort((a, b) => a.at - b.at)[0];
		latencies.push(started - sent.at);
		answered.push(sent.answeredAt - sent.at);
	}
	const figures = { latencies, median: median(latencies), min: Math.min(...latencies), max: Math.max(...latencies), answerMedian: median(answered), answerMax: Math.max(...answered) };
	log(`webhook latency, export -> execution start (ms): ${latencies.join(', ')}; median ${figures.median}, min ${figures.min}, max ${figures.max} (load average ${os.loadavg()[0].toFixed(1)})`);
	log(`webhook answer to Nanonets (ms): median ${figures.answerMedian}, max ${figures.answerMax}`);
	check(figures.median < 1000, `an export starts its execution in under 1 s (median ${figures.median} ms, max ${figures.max} ms)`);
	return figures;
}

/** Clicks the innermost visible element under `scope` whose whole text is `text`. */
async function clickExactText(page, scope, text) {
	const clicked = await page.evaluate(
		(selector, wanted) => {
			const matches = [...document.querySelectorAll(`${selector} *`)].filter((element) => element.offsetParent !== null && element.textContent.trim() === wanted);
			const innermost = matches.filter((element) => !matches.some((other) => other !== element && element.contains(other)));
			innermost[0]?.click();
			return innermost.length > 0;
		},
		scope,
		text,
	);
	if (!clicked) throw new Error(`nothing reading "${text}" to click in ${scope}`);
}

/** The node's panel with its Production URL, for the README. */
async function webhookScreenshot(session, server, sandbox) {
	const { openNodePanel, screenshot, sleep, waitFor, waitForText, testId, check, textsOf } = e2e();
	const page = await session.page(server);
	page.setDefaultTimeout(30_000);
	try {
		const node = await openNodePanel(page, server, WEBHOOK_WORKFLOW_ID, TRIGGER_NAME);
		await node.click({ count: 2 });
		await page.waitForSelector(testId('ndv'), { visible: true });
		await sleep(1000);
		await clickExactText(page, testId('ndv'), 'Webhook URLs');
		await sleep(500);
		await clickExactText(page, testId('ndv'), 'Production URL');
		await waitForText(page, testId('ndv'), new RegExp(`/webhook/${WEBHOOK_ID}/nanonets`), 'the panel shows the production URL', 15_000);
		const shown = (await textsOf(page, testId('ndv'))).join(' ');
		check(shown.includes(`/webhook/${WEBHOOK_ID}/nanonets`) && /Browse all export options/.test(shown), 'the panel shows the production URL and where to paste it in Nanonets');
		await sleep(500);
		await screenshot(page, 'webhook-trigger-panel.png');
		check(/Resolve Document/.test(shown) && /Secret/.test(shown), 'the panel shows the Secret and Resolve Document parameters');

		// Listening for a test event: the panel shows the Test URL, and an export sent there shows up.
		await page.click(`${testId('ndv')} ${testId('node-execute-button')}`);
		const testUrl = `${server.url}/webhook-test/${WEBHOOK_ID}/nanonets`;
		await waitForText(page, testId('ndv'), /Listening for test event/, 'the panel listens for a test event', 15_000);
		await clickExactText(page, testId('ndv'), 'Test URL');
		await waitForText(page, testId('ndv'), new RegExp(`/webhook-test/${WEBHOOK_ID}/nanonets`), 'the panel shows the test URL while listening', 15_000);
		const listening = (await textsOf(page, testId('ndv'))).join(' ');
		check(listening.includes(testUrl.replace(server.url, '')), 'while listening, the panel shows the Test URL');
		const id = sandbox.addDocument(WORKFLOW, { spec: { delayMs: 0, fields: { invoice_number: 'INV-TEST-1', total_amount: '42.00' } }, name: 'test-event.pdf' });
		await sleep(200);
		const body = sandbox.state.webhooks.payload('v2-object', WORKFLOW, id);
		const response = await waitFor('the test URL to take the export', 15_000, async () => {
			const answer = await fetch(`${testUrl}?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			return answer.status === 404 ? undefined : answer;
		}, 500);
		check(response.status === 200, `the test URL answered the export ${response.status} (200)`);
		await waitForText(page, `${testId('output-panel')} ${testId('ndv-data-container')}`, /INV-TEST-1/, 'the test event in the output panel', 30_000);
		await page.click(`${testId('output-panel')} ${testId('radio-button-json')}`).catch(() => undefined);
		await sleep(1000);
		await screenshot(page, 'webhook-trigger-test-event.png');
		const output = (await textsOf(page, `${testId('output-panel')} ${testId('ndv-data-container')}`)).join(' ');
		check(output.includes('INV-TEST-1') && output.includes(id), 'the export sent to the Test URL shows in the panel with the read document\'s fields');
	} finally {
		await page.close();
	}
}

/** `npm run e2e -- --only=webhook`: the n8n set-up of e2e.js with only this workflow. */
async function main() {
	const { installN8n, installPackage, checkModuleResolution, startSandbox, n8nEnv, freePort, n8nCommand, withN8nServer, launchBrowser, log, CREDENTIAL_ID } = e2e();
	const { makePdf } = require('../test/fixtures/files');
	const cli = installN8n();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-n8n-webhook-'));
	const userFolder = path.join(runDir, 'user');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const installed = installPackage(runDir, userFolder);
	checkModuleResolution(installed, path.join(path.resolve(__dirname, '..'), '.e2e', 'n8n'));
	const sandbox = await startSandbox({ processingMs: 400, perPageMs: 20, workflows: [WORKFLOW] });
	log(`sandbox at ${sandbox.url}`);
	let passed = false;
	try {
		const n8n = { cli, runDir, env: n8nEnv(userFolder, filesDir, await freePort(process.env.E2E_N8N_PORT), await freePort()) };
		const credentialsFile = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify([{ id: CREDENTIAL_ID, name: 'Nanonets sandbox', type: 'nanonetsAppApi', data: { apiKey: sandbox.config.apiKey, baseUrl: sandbox.url, pagesPerMinute: 75 } }]));
		await n8nCommand(n8n, ['import:credentials', `--input=${credentialsFile}`]);
		await importWebhookWorkflow(n8n, userFolder, CREDENTIAL_ID);
		await withN8nServer(n8n, async (server) => {
			await webhookScenario(server, sandbox, { makePdf });
			const browser = await launchBrowser();
			try {
				await webhookScreenshot(browser, server, sandbox);
			} finally {
				await browser.close();
			}
		});
		log('all webhook checks passed');
		passed = true;
	} finally {
		await sandbox.close();
		if (passed && !process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`the run's n8n user folder and n8n's log are kept in ${runDir}`);
	}
}

module.exports = { main, webhookScenario, webhookScreenshot, importWebhookWorkflow, WEBHOOK_WORKFLOW_ID };
