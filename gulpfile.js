// Copies the icons next to the compiled files in dist/, where n8n looks for them.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
