/**
 * How the n8n editor's node panel finds our nodes: it searches display names and codex aliases,
 * and treats a node whose codex lists the category "AI" as an AI sub-node, left out of the trigger
 * and action pickers' search. `npm run e2e` checks the same in the real editor.
 */
import type { INodeType } from 'n8n-workflow';

import { loadPackage } from './engine/harness';

/** Top-level categories of n8n's own nodes (their *.node.json codex files). */
const N8N_CATEGORIES = ['Analytics', 'Communication', 'Core Nodes', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Miscellaneous', 'Productivity', 'Sales', 'Utility'];

async function codexOf(name: string) {
	const loader = await loadPackage();
	const { description } = loader.nodeTypes[name].type as INodeType;
	return { displayName: description.displayName, codex: description.codex! };
}

test.each(['nanonets', 'nanonetsTrigger', 'nanonetsWebhookTrigger'])('%s is a regular node in categories n8n knows, never "AI"', async (name) => {
	const { codex } = await codexOf(name);
	expect(codex.categories).not.toContain('AI');
	expect(Object.keys(codex.subcategories ?? {})).not.toContain('AI');
	// The loader adds its own category for community packages.
	const own = (codex.categories ?? []).filter((category) => category !== 'Custom Nodes');
	expect(own.length).toBeGreaterThan(0);
	for (const category of own) expect(N8N_CATEGORIES).toContain(category);
});

test.each(['Nanonets', 'invoice', 'OCR'])('searching "%s" matches both nodes by name or alias', async (term) => {
	const matches = async (name: string) => {
		const { displayName, codex } = await codexOf(name);
		return [displayName, ...(codex.alias ?? [])].some((text) => text.toLowerCase().includes(term.toLowerCase()));
	};
	expect(await matches('nanonets')).toBe(true);
	expect(await matches('nanonetsTrigger')).toBe(true);
	expect(await matches('nanonetsWebhookTrigger')).toBe(true);
});
