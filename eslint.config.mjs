// What n8n checks before it verifies a community package (`@n8n/scan-community-package`):
// `@n8n/eslint-plugin-community-nodes`' recommended config and the `eslint-plugin-n8n-nodes-base`
// rule sets, over the shipped sources and package.json. Every rule is on, except three of the older
// plugin's that contradict the newer one (n8n's scanner turns off the same three, for that reason).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const shipped = ['package.json', 'nodes/**/*.{ts,json}', 'credentials/**/*.{ts,json}'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'examples/**', 'bench/**', 'docs/**'] },
	// Package.json is an object literal to the TypeScript parser, which the rules walk.
	{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } } },
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: shipped },
	// eslint-plugin-n8n-nodes-base is registered by hand: its legacy configs carry an `env` key
	// that flat config does not accept.
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: n8nNodesBase.configs.community.rules },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Wants a camel-cased docs slug, while `credential-documentation-url` wants a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Want the literal ['main'], while `node-connection-type-literal` wants NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
