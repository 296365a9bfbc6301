'use strict';
const zlib = require('node:zlib');
// What Nanonets checks on every upload: file type, page count, and the pages-per-minute limit.

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_PAGES = 500;

function fileKind(data) {
	const starts = (...bytes) => bytes.every((byte, i) => data[i] === byte);
	if (starts(0x25, 0x50, 0x44, 0x46)) return 'pdf';
	if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
	if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
	if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
	if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'xls';
	if (starts(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
	return undefined;
}

const PAGE_OBJECT = /\/Type\s*\/Page(?![a-zA-Z])/g;

/** Pages as Nanonets counts them: page objects, also those inside compressed object streams. */
function pageCount(data, kind) {
	if (kind !== 'pdf') return 1;
	const text = data.toString('latin1');
	let pages = (text.match(PAGE_OBJECT) ?? []).length;
	const objectStream = /<<((?:(?!>>\s*stream)[\s\S])*?\/Type\s*\/ObjStm[\s\S]*?)>>\s*stream\r?\n/g;
	for (let match = objectStream.exec(text); match; match = objectStream.exec(text)) {
		const length = Number(/\/Length\s+(\d+)/.exec(match[1])?.[1] ?? NaN);
		if (!Number.isFinite(length)) continue;
		const start = match.index + match[0].length;
		try {
			pages += (zlib.inflateSync(data.subarray(start, start + length)).toString('latin1').match(PAGE_OBJECT) ?? []).length;
		} catch {
			// Not deflated, or damaged: its pages stay uncounted, as a reader would fail on them.
		}
	}
	return Math.max(1, pages);
}

/**
 * Books `pages` against the account's sliding one-minute window, or throws a 429 with
 * Retry-After: whole seconds until enough pages leave the window, or, with the sandbox option
 * `retryAfterSeconds`, that fixed value whatever the window holds (a server that says "1" while
 * its window stays full for a minute).
 */
function takePages(state, account, pages, reply) {
	const limit = state.config.pagesPerMinute;
	if (!limit) return;
	const now = Date.now();
	const sent = (state.pagesSent.get(account) ?? []).filter((entry) => now - entry.at < 60_000);
	state.pagesSent.set(account, sent);
	const used = sent.reduce((total, entry) => total + entry.pages, 0);
	const wanted = Math.min(pages, limit);
	if (used + wanted > limit) {
		let freed = 0;
		let until = now;
		for (const entry of sent) {
			freed += entry.pages;
			until = entry.at + 60_000;
			if (used - freed + wanted <= limit) break;
		}
		state.stats.rateLimited += 1;
		throw reply(429, { message: 'Rate limit exceeded: at most ' + limit + ' pages per minute' }, {
			'Retry-After': String(state.config.retryAfterSeconds ?? Math.max(1, Math.ceil((until - now) / 1000))),
		});
	}
	sent.push({ at: now, pages: wanted });
}

module.exports = { MAX_FILE_BYTES, MAX_PAGES, fileKind, pageCount, takePages };
