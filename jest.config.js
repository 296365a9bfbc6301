/** Tests run the built package (dist/) inside n8n-core against the local Nanonets sandbox. */
module.exports = {
	testEnvironment: '<rootDir>/test/engine/environment.js',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30_000,
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
