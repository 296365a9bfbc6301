import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { loadPackage, PACKAGE_NAME, PACKAGE_ROOT } from './engine/harness';

/**
 * What n8n and its community-node checks expect of a package, checked on the built dist/
 * the way n8n loads it.
 */
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
const nodeFiles: string[] = pkg.n8n.nodes;
const credentialFiles: string[] = pkg.n8n.credentials;

/** Nanonets' own package (n8n-nodes-nanonets) uses this credential name: ours must differ. */
const NANONETS_OWN_CREDENTIALS = ['nanonetsApi'];

test('package.json marks a community node package whose n8n lists point at built files', () => {
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.name).toBe(PACKAGE_NAME);
	expect(pkg.name).not.toBe('n8n-nodes-nanonets');
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	expect(nodeFiles).toEqual(expect.arrayContaining(['dist/nodes/Nanonets/Nanonets.node.js', 'dist/nodes/Nanonets/NanonetsTrigger.node.js', 'dist/nodes/Nanonets/NanonetsWebhookTrigger.node.js']));
	for (const file of [...nodeFiles, ...credentialFiles]) {
		expect({ file, built: file.startsWith('dist/') && file.endsWith('.js') && existsSync(join(PACKAGE_ROOT, file)) }).toEqual({ file, built: true });
	}
	expect(pkg.files).toContain('dist');
	// n8n brings its own n8n-workflow: a second copy would break its error classes.
	expect(pkg.dependencies?.['n8n-workflow']).toBeUndefined();
	expect(pkg.peerDependencies?.['n8n-workflow']).toBeDefined();
});

test('the built package loads in n8n and exposes its nodes and credentials', async () => {
	const loader = await loadPackage();
	expect(Object.keys(loader.nodeTypes).sort()).toEqual(['nanonets', 'nanonetsTrigger', 'nanonetsWebhookTrigger']);
	expect(Object.keys(loader.credentialTypes).sort()).toEqual(['nanonetsAppApi', 'nanonetsExtractionApi', 'nanonetsLowCodeApi']);
	for (const name of Object.keys(loader.credentialTypes)) expect(NANONETS_OWN_CREDENTIALS).not.toContain(name);
	expect(loader.known.credentials.nanonetsAppApi.supportedNodes).toEqual(expect.arrayContaining(['nanonets', 'nanonetsTrigger', 'nanonetsWebhookTrigger']));
});

describe.each(nodeFiles)('node %s', (file) => {
	const codexFile = join(PACKAGE_ROOT, file.replace(/\.js$/, '.json'));

	test('has a codex file in dist with categories and documentation links', async () => {
		const loader = await loadPackage();
		expect(existsSync(codexFile)).toBe(true);
		expect(existsSync(join(PACKAGE_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.json')))).toBe(true);
		const codex = JSON.parse(readFileSync(codexFile, 'utf8'));
		const name = Object.entries(loader.nodeTypes).find(([, data]) => data.sourcePath.endsWith(file.replace(/^dist\//, '')))?.[0];
		expect(codex.node).toBe(`${PACKAGE_NAME}.${name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(codex.resources.credentialDocumentation[0].url).toMatch(/^https:\/\//);
	});

	test('has light and dark SVG icons next to it in dist', async () => {
		const loader = await loadPackage();
		const data = Object.values(loader.nodeTypes).find((entry) => entry.sourcePath.endsWith(file.replace(/^dist\//, '')));
		// The loader turns `file:` icons into URLs under icons/<package>/ served from the package.
		const icon = (data!.type as INodeType).description.iconUrl as { light: string; dark: string };
		for (const variant of [icon.light, icon.dark]) {
			expect(variant).toMatch(new RegExp(`^icons/${PACKAGE_NAME}/dist/.+\\.svg$`));
			const path = join(PACKAGE_ROOT, variant.slice(`icons/${PACKAGE_NAME}/`.length));
			expect(readFileSync(path, 'utf8')).toMatch(/<svg[\s>]/);
		}
		expect(icon.light).not.toBe(icon.dark);
	});
});

test('the action node has the usual subtitle, tool use and hints', async () => {
	const loader = await loadPackage();
	const { description } = loader.nodeTypes.nanonets.type as INodeType;
	expect(description.subtitle).toBe('={{$parameter["operation"] + ": " + $parameter["resource"]}}');
	expect(description.usableAsTool).toBe(true);
	expect(description.hints?.length).toBeGreaterThan(0);
});

test('the trigger polls, has no inputs and the contract\'s parameters', async () => {
	const loader = await loadPackage();
	const { description } = loader.nodeTypes.nanonetsTrigger.type as INodeType;
	expect(description.displayName).toBe('Nanonets Trigger');
	expect(description.polling).toBe(true);
	expect(description.inputs).toEqual([]);
	expect(description.group).toEqual(['trigger']);
	expect(description.properties.map((property) => property.name)).toEqual(
		expect.arrayContaining(['authentication', 'workflowId', 'event', 'outputFormat']),
	);
	const event = description.properties.find((property) => property.name === 'event');
	expect(event?.default).toBe('documentProcessed');
	expect((event?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['documentProcessed', 'documentFailed']);
});

test('the webhook trigger takes POSTs, answers itself, and has the contract\'s parameters', async () => {
	const loader = await loadPackage();
	const type = loader.nodeTypes.nanonetsWebhookTrigger.type as INodeType;
	const { description } = type;
	expect(description.displayName).toBe('Nanonets Webhook Trigger');
	expect(description.inputs).toEqual([]);
	expect(description.group).toEqual(['trigger']);
	expect(description.polling).toBeUndefined();
	expect(description.webhooks).toEqual([expect.objectContaining({ name: 'default', httpMethod: 'POST' })]);
	expect(typeof type.webhook).toBe('function');
	const property = (name: string) => description.properties.find((entry) => entry.name === name);
	expect(description.properties.map((entry) => entry.name)).toEqual(
		expect.arrayContaining(['authentication', 'secret', 'resolveDocument', 'workflowId', 'outputFormat', 'options']),
	);
	expect(property('resolveDocument')?.default).toBe(true);
	expect(property('secret')?.typeOptions?.password).toBe(true);
	expect((property('authentication')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['apiKey', 'lowCodeApi']);
	expect((property('outputFormat')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['document', 'simplified', 'fields', 'tableRows']);
	expect(property('workflowId')?.type).toBe('resourceLocator');
	// Where to paste the URL in Nanonets is said in the panel.
	expect(description.properties.find((entry) => entry.type === 'notice')?.displayName).toMatch(/Browse all export options > Webhooks/);
});

describe.each(credentialFiles)('credential %s', (file) => {
	test('links its documentation and has a test request', async () => {
		const loader = await loadPackage();
		const data = Object.values(loader.credentialTypes).find((entry) => entry.sourcePath.endsWith(file.replace(/^dist\//, '')));
		const credential = data!.type as ICredentialType;
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.test?.request.url).toMatch(/^\//);
		expect(credential.test?.request.baseURL).toContain('$credentials.baseUrl');
		expect(credential.properties.find((property) => property.typeOptions?.password)).toBeDefined();
	});
});
