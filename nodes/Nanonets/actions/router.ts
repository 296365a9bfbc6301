import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getOptions, itemConcurrency } from './common';
import { operations, VERSION_2_OPERATIONS } from './operations';
import { OutputItem, type ItemCall } from './types';
import { type Authentication, NanonetsClient } from '../transport/request';
import { isCancellation } from '../errors';
import { isExtractionResource } from './extraction/shared';

/**
 * The one item loop. Every item's parameters are checked before anything is sent; then the
 * items run a few at a time, their results come back in input order with `pairedItem`, and
 * with Continue On Fail a failing item becomes an `{ error }` item without stopping the rest.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (operation && this.getNode().typeVersion < 2 && VERSION_2_OPERATIONS[resource]?.includes(operationName)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" needs version 2 of the Nanonets node`, {
			description: 'Add a new Nanonets node to the workflow: new nodes are version 2.',
		});
	}
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const continueOnFail = this.continueOnFail();

	const calls: Array<ItemCall | Error> = [];
	// Option Keep Binary (version 2): output items keep a reference to the input's files, no copy.
	const keptBinary: Array<IBinaryKeyData | undefined> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			keptBinary[itemIndex] = keepsBinary(this, itemIndex) ? items[itemIndex].binary : undefined;
			calls.push(await operation.prepare.call(this, itemIndex));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, itemIndex);
			calls.push(error as Error);
		}
	}
	if (calls.every((call) => call instanceof Error)) return [calls.map((error, i) => errorItem(this, error as Error, i))];
	if (operation.group) calls.splice(0, calls.length, ...operation.group.call(this, calls));

	// The extraction API's resources have their own credential; the others follow Authentication.
	const authentication = isExtractionResource(resource)
		? 'extractionApi'
		: (this.getNodeParameter('authentication', 0, 'apiKey') as Authentication);
	const client = await NanonetsClient.create(this, authentication);
	const concurrency = itemConcurrency(this);

	const results: INodeExecutionData[][] = new Array(items.length);
	// Without Continue On Fail the first failure (in input order) stops new items from starting.
	const failure: { first?: { index: number; error: Error } } = {};
	let next = 0;
	const worker = async () => {
		while (next < calls.length && !failure.first) {
			const itemIndex = next++;
			const call = calls[itemIndex];
			try {
				if (call instanceof Error) throw call;
				const entries = await call(client);
				results[itemIndex] = entries.map((entry) => outputItem(entry, keptBinary[itemIndex], itemIndex));
			} catch (error) {
				if (!continueOnFail || isCancellation(error)) {
					const first = failure.first as { index: number } | undefined;
					if (!first || itemIndex < first.index) failure.first = { index: itemIndex, error };
					continue;
				}
				results[itemIndex] = [errorItem(this, error as Error, itemIndex)];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
	if (failure.first) throw asNodeError(this, failure.first.error, failure.first.index);
	return [results.flat()];
}

function keepsBinary(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNode().typeVersion >= 2 && getOptions(context, itemIndex).keepBinary === true;
}

function outputItem(entry: IDataObject | OutputItem, kept: IBinaryKeyData | undefined, itemIndex: number): INodeExecutionData {
	const pairedItem = { item: itemIndex };
	if (entry instanceof OutputItem) return { json: entry.json, binary: kept ? { ...kept, ...entry.binary } : entry.binary, pairedItem };
	return kept ? { json: entry, binary: kept, pairedItem } : { json: entry, pairedItem };
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * A failed item under Continue On Fail. The error object rides on the item itself: that is what
 * n8n's "Continue (using error output)" looks for to send the item to the error output (a JSON
 * with keys besides `error`, `message` and `details` would otherwise stay on Success).
 */
function errorItem(context: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData {
	const nodeError = asNodeError(context, error, itemIndex);
	const json: IDataObject = { error: nodeError.message };
	if (nodeError.description) json.description = nodeError.description;
	if (nodeError instanceof NodeApiError && nodeError.httpCode) json.httpCode = nodeError.httpCode;
	return { json, error: nodeError, pairedItem: { item: itemIndex } };
}
