import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NanonetsClient } from '../transport/request';

/** An output item that carries binary data besides its JSON (e.g. a downloaded file). */
export class OutputItem {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/** What an operation does for one item, once its parameters are read and checked. */
export type ItemCall = (client: NanonetsClient) => Promise<Array<IDataObject | OutputItem>>;

export interface Operation {
	/** The operation's parameters, shown only for its resource and operation. */
	description: INodeProperties[];
	/**
	 * Reads and checks one item's parameters without sending anything; throws a
	 * NodeOperationError naming the item and the parameter when the input is bad.
	 */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<ItemCall>;
	/**
	 * Optional: lets calls of several items share requests (a batch endpoint). Returns the same
	 * number of calls in the same order; each still answers for its own item alone.
	 */
	group?(this: IExecuteFunctions, calls: Array<ItemCall | Error>): Array<ItemCall | Error>;
}
