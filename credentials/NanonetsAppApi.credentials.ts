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

	// A Base URL that no server answers at is reported by n8n itself (e.g. ECONNREFUSED, ENOTFOUND):
	// rules only match an answer's status.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v2/ImageCategorization/Models/',
			method: 'GET',
		},
		// n8n shows these instead of its bare "Unauthorized" / "Not Found".
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'The API key was refused by Nanonets: check it under Account > API Keys' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Nanonets refused this API key access: check it under Account > API Keys' } },
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Nanonets API answered at this Base URL: leave it at https://app.nanonets.com unless Nanonets gave you another' },
			},
			{ type: 'responseCode', properties: { value: 429, message: 'Nanonets is limiting requests of this API key right now: try again in a minute' } },
			{ type: 'responseCode', properties: { value: 502, message: 'Nanonets could not be reached through a gateway at this Base URL (502): try again later, or check the Base URL' } },
			{ type: 'responseCode', properties: { value: 503, message: 'Nanonets is unavailable right now (503): try again later' } },
		],
	};
}
