import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Nanonets' extraction API (extraction-api.nanonets.com): any document to markdown, HTML, JSON
 * or CSV without a workflow or model, plus classification and chat. A key of its own, sent as a
 * Bearer token; the v4 and v2 APIs keep their own credentials.
 */
export class NanonetsExtractionApi implements ICredentialType {
	name = 'nanonetsExtractionApi';

	displayName = 'Nanonets Extraction API';

	documentationUrl = 'https://docstrange.nanonets.com/docs';

	icon = 'file:nanonets.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your extraction API key, from the API keys page of the Nanonets extraction dashboard (docstrange.nanonets.com)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://extraction-api.nanonets.com',
			description: 'Change only if Nanonets gave you another address for the extraction API',
		},
		{
			displayName: 'Pages per Minute',
			name: 'pagesPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description:
				"Your plan's rate limit for the extraction API: 20 on the free plan, 300 on pay-as-you-go. The node paces requests to stay under it. 0 turns pacing off.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// The cheapest authenticated request: one line of the results list.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/extract/results',
			qs: { page: 1, page_size: 1 },
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'The API key was refused by the Nanonets extraction API: copy it again from the extraction dashboard\'s API keys page' },
			},
			{ type: 'responseCode', properties: { value: 403, message: 'The Nanonets extraction API refused this API key access: check your plan and the key' } },
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Nanonets extraction API answered at this Base URL: leave it at https://extraction-api.nanonets.com unless Nanonets gave you another' },
			},
			{ type: 'responseCode', properties: { value: 429, message: 'The Nanonets extraction API is limiting requests of this API key right now: try again in a minute' } },
			{ type: 'responseCode', properties: { value: 502, message: 'The Nanonets extraction API could not be reached through a gateway at this Base URL (502): try again later, or check the Base URL' } },
			{ type: 'responseCode', properties: { value: 503, message: 'The Nanonets extraction API is unavailable right now (503): try again later' } },
		],
	};
}
