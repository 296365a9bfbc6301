'use strict';
// Jest's Node environment, plus: n8n's log lines (collected by the harness in `__engineLog`)
// are shown for a failing test or hook only, so a green run prints just the summary.
const { TestEnvironment } = require('jest-environment-node');

class EngineEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.global.__engineLog = [];
	}

	handleTestEvent(event) {
		const log = this.global.__engineLog;
		if (event.name === 'test_start') log.length = 0;
		const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
		if (failed && log.length > 0) {
			const what = event.test?.name ?? `${event.hook?.type} hook`;
			this.global.console.warn(`n8n's log during "${what}":\n${log.join('\n')}`);
			log.length = 0;
		}
	}
}

module.exports = EngineEnvironment;
