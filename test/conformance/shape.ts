/**
 * Compares an answer with a response example of a vendor file: the same keys at every level and
 * the same value types. Pure, so that test/conformance-checker.unit.test.ts can show it fails.
 *
 * Rules, read from how the vendor files write their examples:
 * - an example value `null` (as in `moderated_boxes: [null]`) is a placeholder: anything matches;
 * - an empty example list says nothing about its elements;
 * - a list's elements may differ (a field box and a table box): each element of the answer must
 *   match one of the example's elements;
 * - numbers are numbers (an example's `0` matches `0.93`);
 * - `allowed` lists key paths (`result[].prediction[].id`) where the answer may have a key the
 *   example does not show, or lack one it shows; each with its reason, printed by the test.
 */

export interface Mismatch {
	path: string;
	problem: string;
}

export interface Allowance {
	/** A key path, `[]` for "any element": e.g. `unmoderated_images[].request_file_id`. */
	path: string;
	/** Why the answer may differ from the example here (the vendor material that says so). */
	reason: string;
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function join(path: string, key: string): string {
	return path ? `${path}.${key}` : key;
}

export function compareShape(answer: unknown, example: unknown, allowed: Allowance[] = [], path = ''): Mismatch[] {
	if (example === null) return [];
	const expected = typeName(example);
	const actual = typeName(answer);
	if (expected !== actual) return [{ path: path || '(the whole answer)', problem: `is ${actual}, the vendor example has ${expected}` }];
	if (Array.isArray(example)) {
		const alternatives = example;
		if (alternatives.length === 0) return [];
		const mismatches: Mismatch[] = [];
		(answer as unknown[]).forEach((element) => {
			let best: Mismatch[] | undefined;
			for (const alternative of alternatives) {
				const found = compareShape(element, alternative, allowed, `${path}[]`);
				if (!best || found.length < best.length) best = found;
				if (found.length === 0) break;
			}
			mismatches.push(...(best ?? []));
		});
		return dedupe(mismatches);
	}
	if (expected !== 'object') return [];
	const answerObject = answer as Record<string, unknown>;
	const exampleObject = example as Record<string, unknown>;
	const mismatches: Mismatch[] = [];
	const isAllowed = (key: string) => allowed.some((allowance) => allowance.path === join(path, key));
	for (const key of Object.keys(exampleObject)) {
		if (!(key in answerObject)) {
			if (!isAllowed(key)) mismatches.push({ path: join(path, key), problem: 'is in the vendor example but missing from the answer' });
			continue;
		}
		mismatches.push(...compareShape(answerObject[key], exampleObject[key], allowed, join(path, key)));
	}
	for (const key of Object.keys(answerObject)) {
		if (!(key in exampleObject) && !isAllowed(key)) mismatches.push({ path: join(path, key), problem: 'is not in the vendor example' });
	}
	return mismatches;
}

function dedupe(mismatches: Mismatch[]): Mismatch[] {
	const seen = new Set<string>();
	return mismatches.filter((mismatch) => {
		const key = `${mismatch.path} ${mismatch.problem}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** The answer against each example; it conforms when one of them matches. */
export function matchAnyExample(
	answer: unknown,
	examples: Array<{ file: string; value: unknown }>,
	allowed: Allowance[] = [],
): { settledBy?: string; mismatches: Mismatch[]; file?: string } {
	let closest: { file: string; mismatches: Mismatch[] } | undefined;
	for (const example of examples) {
		const mismatches = compareShape(answer, example.value, allowed);
		if (mismatches.length === 0) return { settledBy: example.file, mismatches: [] };
		if (!closest || mismatches.length < closest.mismatches.length) closest = { file: example.file, mismatches };
	}
	return { mismatches: closest?.mismatches ?? [], file: closest?.file };
}
