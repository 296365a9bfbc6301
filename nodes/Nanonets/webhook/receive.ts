import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { idFromAppUrl, shapeOptionsFrom } from '../actions/common';
import { documentItems } from '../actions/document/documentResults';
import { toItems, type OutputFormat, type ShapeOptions } from '../results/formats';
import { documentFromV2 } from '../results/v2';
import { checkDocumentAnswer } from '../schemas';
import { NanonetsClient, type Authentication } from '../transport/request';
import { claimNew, deliveryKey, keepRecentClaims } from './deliveries';
import { checkDelivery, type IncomingRequest } from './guard';
import { documentsIn, type Delivered } from './payload';

/** Documents of one delivery read from Nanonets at the same time. */
const RESOLVE_CONCURRENCY = 5;

interface Settings {
	resolve: boolean;
	workflowId: string;
	format: OutputFormat;
	options: ShapeOptions;
}

function shapeOptions(context: IWebhookFunctions): ShapeOptions {
	return shapeOptionsFrom(context.getNodeParameter('options', {}) as IDataObject, (minConfidence, asGiven) => {
		if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1) {
			throw new NodeOperationError(context.getNode(), `The "Min Confidence" option must be between 0 and 1, got ${String(asGiven)}`);
		}
		return minConfidence;
	});
}

/** The chosen Workflow's id ('' when none is chosen: each export names its own). */
function chosenWorkflowId(context: IWebhookFunctions | IHookFunctions): string {
	const rawId = context.getNodeParameter('workflowId', '', { extractValue: true }) as unknown;
	const text = typeof rawId === 'string' ? rawId : String((rawId as IDataObject)?.value ?? rawId ?? '');
	return (idFromAppUrl(text, ['workflows', 'workflow']) ?? '').trim();
}

function readSettings(context: IWebhookFunctions): Settings {
	const resolve = context.getNodeParameter('resolveDocument', true) as boolean;
	return {
		resolve,
		workflowId: resolve ? chosenWorkflowId(context) : '',
		format: context.getNodeParameter('outputFormat', 'simplified') as OutputFormat,
		options: shapeOptions(context),
	};
}

/** The document as it arrived, in the chosen format (v2 boxes as the v2 output formats shape them). */
export function arrivedItems(document: Exclude<Delivered, { kind: 'unrecognised' }>, settings: Settings): IDataObject[] {
	if (document.kind === 'v4') return documentItems(document.raw, settings.format, settings.options);
	return toItems(document.raw, { ...documentFromV2(document.pages), document_id: document.id }, settings.format, settings.options);
}

function unrecognisedItem(raw: unknown): IDataObject {
	const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as IDataObject) : { body: raw as IDataObject };
	return { ...body, unrecognised: true };
}

/**
 * A document whose read failed still reaches the workflow: as it arrived, with the error, so
 * nothing Nanonets sent is lost and an IF node can route it.
 */
function withError(document: Exclude<Delivered, { kind: 'unrecognised' }>, settings: Settings, error: Error): IDataObject[] {
	const httpCode = error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {};
	const description = (error as { description?: unknown }).description;
	const note = { error: error.message, ...(typeof description === 'string' && description ? { description } : {}), ...httpCode };
	const items = arrivedItems(document, settings);
	if (items.length === 0) return [{ document_id: document.id, ...note, payload: document.raw }];
	return items.map((item) => ({ ...item, ...note }));
}

async function itemsFor(context: IWebhookFunctions, document: Delivered, settings: Settings, client: () => Promise<NanonetsClient>): Promise<IDataObject[]> {
	if (document.kind === 'unrecognised') return [unrecognisedItem(document.raw)];
	if (!settings.resolve) return arrivedItems(document, settings);
	const workflowId = settings.workflowId || document.workflowId;
	try {
		if (!workflowId) {
			throw new NodeOperationError(context.getNode(), `No Nanonets workflow to read document ${document.id} from`, {
				description: 'Choose the Workflow in the Nanonets Webhook Trigger, or turn off Resolve Document.',
			});
		}
		const nanonets = await client();
		const answer = await nanonets.request('getDocument', { pathParams: { workflow_id: workflowId, document_id: document.id } });
		return documentItems(checkDocumentAnswer(nanonets, answer, 0), settings.format, settings.options);
	} catch (error) {
		return withError(document, settings, error as Error);
	}
}

/** Runs `work` on each document, a few at a time, keeping the documents' order. */
async function inOrder<T>(documents: Delivered[], work: (document: Delivered) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(documents.length);
	let next = 0;
	const worker = async () => {
		while (next < documents.length) {
			const index = next++;
			results[index] = await work(documents[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, documents.length) }, worker));
	return results;
}

/**
 * One delivery of Nanonets' "Export to Webhook": refused (401, 413, 400) before anything
 * starts, else answered 200 at once; then each new document (read in full when Resolve Document
 * is on) becomes items. A repeated delivery answers 200 and starts nothing.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as IncomingRequest;
	const response = this.getResponseObject();
	const verdict = checkDelivery(request, String(this.getNodeParameter('secret', '') ?? ''));
	if (!verdict.ok) {
		response.status(verdict.status).json({ message: verdict.message });
		return { noWebhookResponse: true };
	}
	const settings = readSettings(this);
	const documents = documentsIn(verdict.body);

	// The editor's test URL shows every delivery; an active workflow starts once per content.
	let fresh = documents;
	const remembering = this.getMode() !== 'manual';
	const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().id}`;
	if (remembering) {
		const keys = documents.map((document) => (document.kind === 'unrecognised' ? deliveryKey('unrecognised', document.raw) : deliveryKey(`${document.kind}:${document.id}`, document.raw)));
		const isNew = claimNew(this.getWorkflowStaticData('node'), keys, scope);
		fresh = documents.filter((_document, index) => isNew[index]);
	}

	// Nanonets never waits on a document read.
	response.status(200).json({ message: 'Received', documents: documents.length, started: fresh.length });
	if (fresh.length === 0) return { noWebhookResponse: true };

	let created: Promise<NanonetsClient> | undefined;
	const client = () => (created ??= NanonetsClient.create(this, this.getNodeParameter('authentication', 'apiKey') as Authentication));
	const items = (await inOrder(fresh, async (document) => await itemsFor(this, document, settings, client))).flat();
	// Claims made by deliveries handled meanwhile go into the static data n8n saves after this.
	if (remembering) keepRecentClaims(this.getWorkflowStaticData('node'), scope);
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
}

/**
 * On activation: with Resolve Document on and a Workflow chosen, the credential must be able to
 * read that workflow, else activation fails with Nanonets' answer (a wrong key, a deleted workflow).
 */
export async function checkCanResolve(context: IHookFunctions): Promise<void> {
	if (context.getNodeParameter('resolveDocument', true) !== true) return;
	const workflowId = chosenWorkflowId(context);
	if (!workflowId) return;
	const client = await NanonetsClient.create(context, context.getNodeParameter('authentication', 'apiKey') as Authentication);
	await client.request('getWorkflow', { pathParams: { workflow_id: workflowId } });
}
