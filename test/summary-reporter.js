// Prints one plain closing line that any CI can read: "tests: N passed, N failed".
// It is written when the process exits, so that it comes after Jest's own summary.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
		process.once('exit', () => process.stderr.write(`\n${line}\n`));
	}
}
module.exports = SummaryReporter;
