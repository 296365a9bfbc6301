import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { apiError, type ErrorSource } from './errors';
import { FULL_TEXT_RESULT_KEYS } from './transport/endpoints';

/**
 * The parts of Nanonets' answers the node relies on, checked where they enter. Everything
 * else is read defensively by the result shaping, so extra or missing detail never crashes it.
 */
const idText = z.union([z.string().min(1), z.number()]);

export const documentAnswer = z
	.object({
		document_id: idText,
		status: z.string().optional(),
		pages: z.array(z.record(z.unknown())).nullish(),
	})
	.passthrough();

export const pageAnswer = z.object({ page_id: idText.optional() }).passthrough();

export const anyObject = z.record(z.unknown());

/** v2: a model object (Create and Get return one; its model_id is what later steps use). */
export const modelAnswer = z.object({ model_id: idText }).passthrough();

/** v2: the answers whose `result` list the node turns into items (image classification). */
export const resultListAnswer = z.object({ result: z.array(z.unknown()) }).passthrough();

/** v2 Full Text: its list under any of the published keys (FULL_TEXT_RESULT_KEYS). */
export const fullTextAnswer = z
	.record(z.unknown())
	.superRefine((body, context) => {
		const present = FULL_TEXT_RESULT_KEYS.filter((key) => body[key] !== undefined);
		const key = present[0] ?? FULL_TEXT_RESULT_KEYS[0];
		if (!Array.isArray(body[key])) {
			context.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: present.length ? 'Expected array' : 'Required' });
		}
	});

/** v2: the list of image models, a plain list (or, defensively, `{ models: [...] }`). */
export const modelListAnswer = z.union([z.array(anyObject), z.object({ models: z.array(anyObject) }).passthrough()]);

/** Checks an answer; a mismatch becomes "Unexpected response from Nanonets" with its path. */
export function checkAnswer<T>(
	source: ErrorSource,
	schema: z.ZodType<T>,
	body: unknown,
	itemIndex: number,
): T {
	const result = schema.safeParse(body);
	if (result.success) return body as T;
	const issue = result.error.issues[0];
	throw apiError(source, {
		message: 'Unexpected response from Nanonets',
		// The path may hold keys from the answer: redacted and shortened with the rest.
		quote: `${issue.path.length ? issue.path.join('.') : '(the whole answer)'}: ${issue.message}`,
		description: 'Nanonets answered in a shape this node does not know. If it keeps happening, please report it with the node version.',
		itemIndex,
	});
}

export function checkDocumentAnswer(source: ErrorSource, body: unknown, itemIndex: number): IDataObject {
	return checkAnswer(source, documentAnswer, body, itemIndex) as IDataObject;
}

/** v4: one workflow (Get Workflow), bare or wrapped in `workflow`. */
export const workflowAnswer = z.union([
	z.object({ id: idText }).passthrough(),
	z.object({ workflow: z.object({ id: idText }).passthrough() }).passthrough(),
]);

/** v4: the account's workflows, wrapped in `workflows` (docs) or a bare list (Go SDK). */
export const workflowListAnswer = z.union([z.array(anyObject), z.object({ workflows: z.array(anyObject).nullable() }).passthrough()]);
