// Community-node lint rules from eslint-plugin-n8n-nodes-base, registered by hand: its
// legacy configs carry an `env` key that eslint 9's flat config does not accept.
const tsParser = require('@typescript-eslint/parser');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');

const plugins = { 'n8n-nodes-base': n8nNodesBase };
const languageOptions = { parser: tsParser, parserOptions: { sourceType: 'module' } };

module.exports = [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'examples/**', 'bench/**'] },
	{
		files: ['package.json'],
		languageOptions: { parser: require('@typescript-eslint/parser') },
		plugins,
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions,
		plugins,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// The rule itself says it applies only to nodes in n8n's main repository, whose docs
			// live at camel-cased paths; a community credential links to the vendor's full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Display names are fixed by the package's public interface ("Nanonets API Key",
			// "Nanonets via LowCodeAPI"), and read better than "... API" suffixes.
			'n8n-nodes-base/cred-class-field-display-name-missing-api': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions,
		plugins,
		rules: n8nNodesBase.configs.nodes.rules,
	},
];
