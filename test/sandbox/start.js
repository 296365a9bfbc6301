'use strict';
// `npm run sandbox [-- --port 5599]`: the Nanonets sandbox on its own, for trying the node in a
// local n8n. Without --port it takes a free port; with one, credentials can keep their Base URL.
const { startSandbox } = require('./server');

function portFromArguments(args) {
	const index = args.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
	if (index === -1) return Number(process.env.SANDBOX_PORT ?? 0);
	const value = args[index].includes('=') ? args[index].split('=')[1] : args[index + 1];
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		console.error(`--port needs a port number between 0 and 65535, got "${value ?? ''}"`);
		process.exit(2);
	}
	return port;
}

(async () => {
	const sandbox = await startSandbox({ port: portFromArguments(process.argv.slice(2)) });
	console.log(`Nanonets sandbox listening on ${sandbox.url}`);
	console.log(`  API key credential: API Key "${sandbox.config.apiKey}", Base URL ${sandbox.url}`);
	console.log(`  LowCodeAPI credential: API Token "${sandbox.config.lowCodeToken}", Base URL ${sandbox.url}`);
	console.log(`  v4 workflows: ${sandbox.config.workflows.join(', ')}`);
	console.log(`  v2 models: ${[...sandbox.state.models.keys()].join(', ')}`);
	console.log('Press Ctrl+C to stop.');
})().catch((error) => {
	console.error(`The sandbox could not start: ${error.message}`);
	process.exit(1);
});
