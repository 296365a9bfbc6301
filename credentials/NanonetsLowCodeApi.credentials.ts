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

	// A Base URL that no server answers at is reported by n8n itself (e.g. ECONNREFUSED, ENOTFOUND):
	// rules only match an answer's status.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/nanonets/api/v2/ImageCategorization/Models',
			method: 'GET',
		},
		// n8n shows these instead of its bare "Unauthorized" / "Not Found".
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'The API token was refused by LowCodeAPI: check it in your LowCodeAPI account' } },
			{
				type: 'responseCode',
				properties: { value: 403, message: 'LowCodeAPI refused the request: check that Nanonets is connected in your LowCodeAPI account' },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No LowCodeAPI answered at this Base URL: leave it at https://api.lowcodeapi.com unless LowCodeAPI gave you another' },
			},
			{ type: 'responseCode', properties: { value: 429, message: 'LowCodeAPI or Nanonets is limiting requests right now: try again in a minute' } },
			{ type: 'responseCode', properties: { value: 502, message: 'LowCodeAPI could not reach Nanonets (502): try again later' } },
			{ type: 'responseCode', properties: { value: 503, message: 'LowCodeAPI or Nanonets is unavailable right now (503): try again later' } },
		],
	};
}
