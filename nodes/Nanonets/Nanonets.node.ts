import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { operationDescriptions, operationProperties, resourceProperty } from './actions/operations';
import { route } from './actions/router';

export class Nanonets implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nanonets',
		name: 'nanonets',
		icon: { light: 'file:nanonets.svg', dark: 'file:nanonets.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Extract fields and tables from invoices, receipts and forms with Nanonets',
		defaults: { name: 'Nanonets' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [
			{ name: 'nanonetsAppApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
			{ name: 'nanonetsLowCodeApi', required: true, displayOptions: { show: { authentication: ['lowCodeApi'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'LowCodeAPI', value: 'lowCodeApi' },
				],
				default: 'apiKey',
			},
			resourceProperty,
			...operationProperties,
			...operationDescriptions(),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
