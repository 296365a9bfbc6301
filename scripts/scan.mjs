// `npm run scan`: n8n's verification checks, offline. n8n verifies a community package with
// `@n8n/scan-community-package`, which lints the package's source and its published tarball;
// this runs the scanner's own analysis (`analyzePackage`, with the file patterns it uses for each)
// on this folder and on the tarball `npm pack` makes, prints every finding and fails on any error.
//
// One finding may stay while only the maintainers can resolve it (see PENDING): it is printed,
// and `--release` (the publish workflow) fails on it as on any other.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import tmp from 'tmp';

// The scanner makes a temporary folder as it loads (for packages it downloads, which this script
// does not): have it removed on exit.
tmp.setGracefulCleanup();
const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the scanner lints in the tarball: the compiled code and the published package.json. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const release = process.argv.includes('--release');

/** Findings that need facts only the maintainers have; never a reason to invent them. */
const PENDING = [
	{
		ruleId: '@n8n/community-nodes/valid-author',
		file: 'package.json',
		todo: 'add the maintainers\' real contact email as "author.email" in package.json before publishing',
	},
];

function isPending(file, ruleId) {
	return PENDING.some((pending) => pending.file === file && pending.ruleId === ruleId);
}

/** Every error the scanner's config reports, by file, to tell pending ones from the rest. */
async function errorsOf(directory, patterns) {
	const eslint = new ESLint({ cwd: directory, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const results = await eslint.lintFiles(patterns);
	return results.flatMap((result) =>
		result.messages
			.filter((message) => message.severity === 2)
			.map((message) => ({ file: path.relative(directory, result.filePath), ruleId: message.ruleId, message: message.message })),
	);
}

function packTarball(into) {
	const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
	const unpacked = path.join(into, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(into, path.basename(filename)), '-C', unpacked, '--strip-components=1']);
	return unpacked;
}

async function scan(label, directory, patterns) {
	const result = await analyzePackage(directory, patterns);
	console.log(`${label}: ${result.passed ? 'no errors' : result.message}`);
	if (result.details) console.log(result.details);
	if (result.passed) return true;
	if (result.error) return false; // the analysis itself failed
	const errors = await errorsOf(directory, patterns);
	const blocking = errors.filter((error) => release || !isPending(error.file, error.ruleId));
	for (const error of errors.filter((error) => !blocking.includes(error))) {
		const { todo } = PENDING.find((pending) => pending.file === error.file && pending.ruleId === error.ruleId);
		console.log(`  pending, for the maintainers: ${error.file} ${error.ruleId}: ${todo}`);
	}
	return errors.length > 0 && blocking.length === 0;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nanonets-scan-'));
try {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('Build first (npm run build): the tarball ships dist/.');
	const sourceOk = await scan('Source', ROOT, SOURCE_FILE_PATTERNS);
	const tarballOk = await scan('Tarball', packTarball(workDir), TARBALL_FILE_PATTERNS);
	if (!sourceOk || !tarballOk) {
		console.error(`\nn8n's scanner would not verify this package${release ? '' : ' (see the errors above)'}.`);
		process.exitCode = 1;
	} else {
		console.log(`\nn8n's scanner finds no ${release ? '' : 'blocking '}errors in the source or the tarball.`);
	}
} finally {
	fs.rmSync(workDir, { recursive: true, force: true });
}
