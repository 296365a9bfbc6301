'use strict';
// `npm run sandbox`: the Nanonets sandbox on its own, for trying the node in a local n8n.
const { startSandbox } = require('./server');

(async () => {
	const port = Number(process.env.SANDBOX_PORT ?? 0);
	const sandbox = await startSandbox({ port });
	console.log(`Nanonets sandbox listening on ${sandbox.url}`);
	console.log(`  API key credential: API Key "${sandbox.config.apiKey}", Base URL ${sandbox.url}`);
	console.log(`  LowCodeAPI credential: API Token "${sandbox.config.lowCodeToken}", Base URL ${sandbox.url}`);
	console.log(`  v4 workflows: ${sandbox.config.workflows.join(', ')}`);
	console.log(`  v2 models: ${[...sandbox.state.models.keys()].join(', ')}`);
	console.log('Press Ctrl+C to stop.');
})();
