import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { pagesPerMinuteProperty } from './pagesPerMinute';

export class NanonetsAppApi implements ICredentialType {
	name = 'nanonetsAppApi';

	displayName = 'Nanonets API';

	documentationUrl = 'https://nanonets.com/documentation';

	icon = 'file:nanonets.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Nanonets API key, from Account > API Keys in the Nanonets app',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.nanonets.com',
			description: 'Change only for a regional or self-hosted Nanonets endpoint',
		},
		pagesPerMinuteProperty,
	];

	// HTTP Basic: the API key is the user name, the password stays empty.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.apiKey}}',
				password: '',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v2/ImageCategorization/Models/',
			method: 'GET',
		},
	};
}
