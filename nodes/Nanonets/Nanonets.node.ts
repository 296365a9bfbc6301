import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nanonetsAuthenticationProperty, nanonetsNodeCredentials } from './actions/extraction/shared';
import { operationDescriptions, operationProperties, resourceProperties } from './actions/operations';
import { route } from './actions/router';
import { searchImageModels, searchWorkflows } from './methods/listSearch';

export class Nanonets implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nanonets',
		name: 'nanonets',
		icon: { light: 'file:nanonets.svg', dark: 'file:nanonets.dark.svg' },
		group: ['transform'],
		// Version 2: Output defaults to Simplified; workflows and image models are picked from lists.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Extract fields and tables from invoices, receipts and forms with Nanonets',
		defaults: { name: 'Nanonets' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Where a user may be surprised by what comes out (or does not).
		hints: [
			{
				message:
					'Table Rows gives one item per table row: a document without tables gives no items. Choose Simplified or Fields to see its fields.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
				displayCondition: '={{ $parameter["outputFormat"] === "tableRows" }}',
			},
			{
				message:
					'LowCodeAPI may not forward Nanonets\' v4 workflow endpoints. If a Workflow Document operation answers "Not found", use the Nanonets API credential.',
				type: 'info',
				location: 'ndv',
				// Before a run only: once a run succeeded, the warning has nothing left to say.
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["authentication"] === "lowCodeApi" && $parameter["resource"] === "document" }}',
			},
		],
		credentials: nanonetsNodeCredentials,
		properties: [
			nanonetsAuthenticationProperty,
			...resourceProperties,
			...operationProperties,
			...operationDescriptions(),
		],
	};

	methods = { listSearch: { searchImageModels, searchWorkflows } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
