/**
 * Runs workflows inside n8n's real execution engine (n8n-core's WorkflowExecute), with the
 * package loaded from dist/ the way n8n loads a community package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const temporaryFolders: string[] = [];

/** A new folder under the system's temporary folder, removed by `removeTemporaryFolders`. */
export function temporaryFolder(prefix: string): string {
	const folder = mkdtempSync(join(tmpdir(), prefix));
	temporaryFolders.push(folder);
	return folder;
}

/** Removes the folders made by `temporaryFolder`; in Jest this runs after each test file. */
export function removeTemporaryFolders(): void {
	for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}
if (typeof afterAll === 'function') afterAll(removeTemporaryFolders);

// n8n-core writes an encryption key into the user folder on first use: keep it out of $HOME.
process.env.N8N_USER_FOLDER ??= temporaryFolder('n8n-nanonets-test-');

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PackageDirectoryLoader, PollContext, TriggersAndPollers, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

/**
 * What n8n logs (the errors it reports for failed nodes, "No encryption key found" ...) is kept
 * here instead of the console: the test environment (test/engine/environment.js) prints it for a
 * failing test only, and the demo when it fails. n8n's debug lines are not kept.
 */
export const engineLog: string[] = ((globalThis as { __engineLog?: string[] }).__engineLog ??= []);

function recordingLogger() {
	const record = (level: string) => (message: string) => void engineLog.push(`${level}: ${message}`);
	const logger = { error: record('error'), warn: record('warn'), info: record('info'), debug: () => {}, scoped: () => logger };
	return logger;
}
// Before n8n-core first asks its container for a logger, so that it never builds its own.
const quietLogger = recordingLogger();
Container.set(Logger, quietLogger as unknown as Logger);
LoggerProxy.init(quietLogger);

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-nanonets-api';

let loaderPromise: Promise<PackageDirectoryLoader> | undefined;

/** Loads dist/ through the package.json "n8n" section, once per test file. */
export async function loadPackage(): Promise<PackageDirectoryLoader> {
	loaderPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		return loader;
	})();
	return await loaderPromise;
}

export class PackageNodeTypes implements INodeTypes {
	constructor(private readonly loader: PackageDirectoryLoader) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const name = nodeType.replace(`${PACKAGE_NAME}.`, '');
		const data = this.loader.nodeTypes[name];
		if (!data) throw new Error(`Unknown node type ${nodeType}`);
		return data.type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return this.loader.known.nodes;
	}
}

type CredentialValues = Record<string, ICredentialDataDecryptedObject>;

/** Resolves `={{$credentials.name}}` the way n8n's own credentials helper does for these types. */
function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const expression = value.slice(1);
	const whole = /^\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(expression);
	if (whole) return credentials[whole[1]];
	return expression.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, name: string) => String(credentials[name] ?? ''));
}

/** Credentials from a plain map, with generic and function authentication applied. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly decryptedFor: string[] = [];

	constructor(
		private readonly loader: PackageDirectoryLoader,
		private readonly values: CredentialValues,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const data = this.loader.credentialTypes[name];
		if (!data) throw new Error(`Unknown credential type ${name}`);
		return data.type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.type(typeName).authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const options = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [target, properties] of Object.entries(authenticate.properties)) {
			const resolved: IDataObject = {};
			for (const [key, value] of Object.entries(properties as IDataObject)) {
				resolved[key] = resolveCredentialExpression(value, credentials) as IDataObject[string];
			}
			options[target] = { ...(options[target] ?? {}), ...resolved };
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		this.decryptedFor.push(type);
		const values = this.values[type];
		if (!values) throw new Error(`No test credentials of type ${type}`);
		return values;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

export interface NodeRun {
	/** Output items of the node, in order (its Success output when errors have their own). */
	items: INodeExecutionData[];
	/** Items on the error output, with `onError: 'continueErrorOutput'` ([] otherwise). */
	errorItems: INodeExecutionData[];
	/** The execution's error, if the node failed. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

export interface RunOptions {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	credentials: CredentialValues;
	continueOnFail?: boolean;
	/** The node's Settings > On Error; `continueOnFail` is short for 'continueRegularOutput'. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	nodeType?: string;
	/** The node's version as saved in the workflow (default 1). */
	typeVersion?: number;
	mode?: WorkflowExecuteMode;
	/** Called once the run started, with a function that cancels it. */
	onStarted?: (cancel: () => void) => void;
}

export function additionalDataFor(credentialsHelper: ICredentialsHelper, hooks: ExecutionLifecycleHooks) {
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'test-user',
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

/** The credential a node's parameters call for: the extraction API's resources have their own. */
export function credentialTypeFor(parameters: INodeParameters): string {
	if (['extraction', 'documentClassification', 'chat'].includes(String(parameters.resource))) return 'nanonetsExtractionApi';
	return parameters.authentication === 'lowCodeApi' ? 'nanonetsLowCodeApi' : 'nanonetsAppApi';
}

/** Runs one node of this package on the given input items, in the engine. */
export async function runNode(options: RunOptions): Promise<NodeRun> {
	const loader = await loadPackage();
	const nodeTypes = new PackageNodeTypes(loader);
	const credentialType = credentialTypeFor(options.parameters);
	const node: INode = {
		id: 'node-under-test',
		name: 'Nanonets',
		type: `${PACKAGE_NAME}.${options.nodeType ?? 'nanonets'}`,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [credentialType]: { id: '1', name: 'Nanonets test credential' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.onError ? { onError: options.onError } : {}),
	};
	const workflowData = {
		id: 'test-workflow',
		name: 'test',
		active: false,
		nodes: [node],
		connections: {},
		settings: {},
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const mode = options.mode ?? 'manual';
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData as never);
	const finished = new Promise<IRun>((resolveRun) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));
	});
	const credentialsHelper = new TestCredentialsHelper(loader, options.credentials);
	const additionalData = additionalDataFor(credentialsHelper, hooks);
	additionalData.executionId = executionId;

	const items = options.items ?? [{ json: {} }];
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	options.onStarted?.(() => running.cancel());
	let run: IRun;
	try {
		run = await Promise.race([running, finished]);
	} catch {
		run = await finished;
	}
	const taskData = run.data.resultData.runData[node.name]?.[0];
	const output = taskData?.data?.main?.[0] ?? [];
	const errorItems = taskData?.data?.main?.[1] ?? [];
	const error = (taskData?.error ?? run.data.resultData.error) as NodeRun['error'];
	return { items: output, errorItems, error, run };
}

/** The json of each output item. */
export function jsonOf(result: NodeRun): IDataObject[] {
	return result.items.map((item) => item.json);
}

export interface PollOptions {
	parameters: INodeParameters;
	credentials: CredentialValues;
	/** The node's static data as saved after the previous poll ({} before the first). */
	staticData?: IDataObject;
	/** `trigger`: a poll of an active workflow; `manual`: the editor's test run. */
	mode?: 'trigger' | 'manual';
}

export interface PollRun {
	/** What the poll emitted: its items, or [] when it returned null. */
	items: INodeExecutionData[];
	/** The static data as n8n would save it: pass it to the next poll. */
	staticData: IDataObject;
	error?: NodeRun['error'];
}

/**
 * Runs one poll of this package's trigger the way n8n does: an active workflow's poll through
 * n8n-core's PollContext and TriggersAndPollers, a manual one through WorkflowExecute. Static
 * data goes through JSON between polls, as when n8n saves it and another worker loads it.
 */
export async function pollNode(options: PollOptions): Promise<PollRun> {
	const mode = options.mode ?? 'trigger';
	const staticData = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
	if (mode === 'manual') {
		const result = await runNode({
			parameters: options.parameters,
			credentials: options.credentials,
			nodeType: 'nanonetsTrigger',
			mode: 'manual',
		});
		return { items: result.items, staticData, error: result.error };
	}

	const loader = await loadPackage();
	const nodeTypes = new PackageNodeTypes(loader);
	const authentication = (options.parameters.authentication as string | undefined) ?? 'apiKey';
	const credentialType = authentication === 'lowCodeApi' ? 'nanonetsLowCodeApi' : 'nanonetsAppApi';
	const node: INode = {
		id: 'trigger-under-test',
		name: 'Nanonets Trigger',
		type: `${PACKAGE_NAME}.nanonetsTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [credentialType]: { id: '1', name: 'Nanonets test credential' } },
	};
	const workflowData = { id: 'test-workflow', name: 'test', active: true, nodes: [node], connections: {}, settings: {} };
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData });
	const hooks = new ExecutionLifecycleHooks('trigger', String(++executionCounter), workflowData as never);
	const additionalData = additionalDataFor(new TestCredentialsHelper(loader, options.credentials), hooks);

	let emitted: INodeExecutionData[][] | undefined;
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		(data) => (emitted = data),
		(error) => {
			throw error;
		},
	);
	try {
		const response = await new TriggersAndPollers().runPollFunction(workflow, node, context);
		if (response !== null) context.__emit(response);
	} catch (error) {
		return { items: [], staticData: saved(workflow), error: error as NodeRun['error'] };
	}
	return { items: emitted?.[0] ?? [], staticData: saved(workflow) };
}

/** The workflow's static data as n8n stores it (plain JSON, without change markers). */
function saved(workflow: Workflow): IDataObject {
	return JSON.parse(JSON.stringify(workflow.staticData, (key, value) => (key === '__dataChanged' ? undefined : value)));
}
