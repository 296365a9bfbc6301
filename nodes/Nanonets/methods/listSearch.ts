import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { modelStateDescription } from '../actions/v2common';
import { type Authentication, NanonetsClient } from '../transport/request';
import { workflowList, workflowName } from '../results/review';

/** What a model is called in the list: Nanonets' models have no name, so their categories. */
function modelLabel(model: IDataObject): string {
	const categories = (Array.isArray(model.categories) ? model.categories : [])
		.map((category) => (typeof category === 'object' && category !== null ? (category as IDataObject).name : category))
		.filter((name) => typeof name === 'string' && name !== '') as string[];
	const state = modelStateDescription(model.state)?.split(':')[0];
	const name = categories.length ? categories.join(', ') : String(model.model_id);
	return state ? `${name} (${state})` : name;
}

/** The account's image classification models, for the Model picker; `filter` matches names and IDs. */
export async function searchImageModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const authentication = this.getNodeParameter('authentication', 'apiKey') as Authentication;
	const client = await NanonetsClient.create(this, authentication);
	const answer = await client.request<unknown>('listImageModels');
	const models = (Array.isArray(answer) ? answer : ((answer as IDataObject)?.models ?? [])) as IDataObject[];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = models
		.filter((model) => typeof model === 'object' && model !== null && model.model_id)
		.map((model) => ({ name: modelLabel(model), value: String(model.model_id) }))
		.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.value.toLowerCase().includes(needle));
	return { results };
}

/** The account's v4 workflows, for the Workflow picker, by name (Nanonets' `description`), sorted by name. */
export async function searchWorkflows(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const authentication = this.getNodeParameter('authentication', 'apiKey') as Authentication;
	const client = await NanonetsClient.create(this, authentication);
	const workflows = workflowList(await client.request<unknown>('listWorkflows'));
	const needle = (filter ?? '').trim().toLowerCase();
	const results = workflows
		.map((workflow) => ({ name: workflowName(workflow), value: String(workflow.id) }))
		.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.value.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
	return { results };
}
