'use strict';
// Lets plain Node scripts (the benchmark) reuse the TypeScript test harness in test/engine/
// instead of keeping a JavaScript copy of it: `.ts` files are transpiled on require, with the
// TypeScript compiler the package already uses. Types are not checked here; the tests do that.
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, fileName) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), {
		fileName,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
		},
	});
	module._compile(outputText, fileName);
};
