import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NanonetsClient } from '../transport/request';

/** What an operation does for one item, once its parameters are read and checked. */
export type ItemCall = (client: NanonetsClient) => Promise<IDataObject[]>;

export interface Operation {
	/** The operation's parameters, shown only for its resource and operation. */
	description: INodeProperties[];
	/**
	 * Reads and checks one item's parameters without sending anything; throws a
	 * NodeOperationError naming the item and the parameter when the input is bad.
	 */
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<ItemCall>;
}
