import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { pagesPerMinuteProperty } from './pagesPerMinute';

export class NanonetsLowCodeApi implements ICredentialType {
	name = 'nanonetsLowCodeApi';

	displayName = 'Nanonets (via LowCodeAPI) API';

	documentationUrl = 'https://www.lowcodeapi.com/';

	icon = 'file:nanonets.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your LowCodeAPI token (the account must have Nanonets connected)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.lowcodeapi.com',
			description: 'LowCodeAPI base URL; requests go to {Base URL}/nanonets/...',
		},
		pagesPerMinuteProperty,
	];

	// LowCodeAPI takes the token as a query parameter on every request.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				api_token: '={{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/nanonets/api/v2/ImageCategorization/Models',
			method: 'GET',
		},
	};
}
