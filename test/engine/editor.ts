/**
 * What the n8n editor does besides running workflows: search a resource locator's list, and
 * test a credential the way n8n's credentials tester does (its test request through n8n-core's
 * RoutingNode; a failed answer's status matched against the credential's `rules`).
 */
import { ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeCredentialTestResult,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { additionalDataFor, loadPackage, PACKAGE_NAME, PackageNodeTypes, TestCredentialsHelper } from './harness';

type CredentialValues = Record<string, ICredentialDataDecryptedObject>;

/** Calls the node's `methods.listSearch[method]` as the editor does when a list opens or is searched. */
export async function searchList(options: {
	method: string;
	filter?: string;
	parameters: INodeParameters;
	credentials: CredentialValues;
	typeVersion?: number;
}): Promise<INodeListSearchResult> {
	const loader = await loadPackage();
	const nodeTypes = new PackageNodeTypes(loader);
	const authentication = (options.parameters.authentication as string | undefined) ?? 'apiKey';
	const credentialType = authentication === 'lowCodeApi' ? 'nanonetsLowCodeApi' : 'nanonetsAppApi';
	const node: INode = {
		id: 'node-in-editor',
		name: 'Nanonets',
		type: `${PACKAGE_NAME}.nanonets`,
		typeVersion: options.typeVersion ?? 2,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [credentialType]: { id: '1', name: 'Nanonets test credential' } },
	};
	const workflowData = { id: 'editor-workflow', name: 'editor', active: false, nodes: [node], connections: {}, settings: {} };
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('manual', 'editor', workflowData as never);
	const additionalData = additionalDataFor(new TestCredentialsHelper(loader, options.credentials), hooks);
	const context = new LoadOptionsContext(workflow, node, additionalData, '');
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = type.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`No list search method ${options.method}`);
	return await method.call(context, options.filter);
}

/** Tests a credential as n8n's editor does ("Retry" / saving the credential). */
export async function testCredential(credentialType: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const loader = await loadPackage();
	const test = loader.credentialTypes[credentialType]?.type.test;
	if (!test) throw new Error(`${credentialType} has no test request`);
	const probe: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialType, required: true }],
			properties: [{ displayName: 'Test', name: 'test', type: 'string', default: '', routing: { request: test.request } }],
		},
	};
	const nodeTypes: INodeTypes = { getByName: () => probe, getByNameAndVersion: () => probe, getKnownTypes: () => ({}) };
	const node: INode = {
		id: 'credential-test',
		name: 'Credential test',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType]: { id: '1', name: 'tested' } },
	};
	const workflowData = { id: 'credential-test', name: 'credential test', active: false, nodes: [node], connections: {}, settings: {} };
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', workflowData as never);
	const additionalData = additionalDataFor(new TestCredentialsHelper(loader, { [credentialType]: data }), hooks);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as never,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, probe, { id: '1', name: 'tested', type: credentialType, data }).runNode();
	} catch (error) {
		// As n8n's credentials tester reads a failure: the answer's status against `rules`, else a
		// network code, else the message.
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}` };
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as IDataObject).message) };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
