import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { concurrencyOption, keepBinaryOption, optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { anyObject, checkAnswer } from '../../schemas';
import { chatItem } from '../../results/extraction';
import { checkRequired, type FileKind } from '../../validation';
import { extractionFileProperties, loadFile, readFileSource } from '../extraction/shared';

export const DEFAULT_CHAT_MODEL = 'nanonets/Nanonets-OCR-s';

const IMAGE_KINDS: FileKind[] = ['jpeg', 'png', 'tiff', 'gif', 'bmp', 'webp'];
const CHAT_KINDS: FileKind[] = ['pdf', ...IMAGE_KINDS];

const description: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. What is the total amount due, and by when?',
		description: 'The question or instruction about the document or image',
	},
	...extractionFileProperties(),
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: DEFAULT_CHAT_MODEL,
		description: 'The Nanonets model that reads the document and answers',
	},
	optionsProperty([
		{
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1024,
			description: 'The longest answer, in tokens (sent as max_tokens, as OpenAI-compatible APIs take it; left out unless set)',
		},
		concurrencyOption,
		keepBinaryOption,
	]),
];

/**
 * A document in an OpenAI-style message: images as `image_url`, other documents as `file_url`
 * (Nanonets' docs show both part types; a data: URL carries a binary file).
 */
function filePart(url: string, isImage: boolean): IDataObject {
	return isImage ? { type: 'image_url', image_url: { url } } : { type: 'file_url', file_url: { url } };
}

export const complete: Operation = {
	description: withDisplay(showFor('chat', 'complete'), description),

	async prepare(itemIndex) {
		const prompt = checkRequired(this, this.getNodeParameter('prompt', itemIndex, ''), 'Prompt', itemIndex);
		const model = String(this.getNodeParameter('model', itemIndex, DEFAULT_CHAT_MODEL) ?? '').trim() || DEFAULT_CHAT_MODEL;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const source = await readFileSource(this, itemIndex, CHAT_KINDS);

		return async (client) => {
			let part: IDataObject;
			let pages = 1;
			if (source.kind === 'url') {
				part = filePart(source.url, /\.(png|jpe?g|gif|bmp|webp|tiff?)(\?|#|$)/i.test(source.url));
			} else {
				const file = await loadFile(this, itemIndex, source, CHAT_KINDS);
				pages = file.pages;
				part = filePart(`data:${file.mimeType};base64,${file.content.bytes.toString('base64')}`, IMAGE_KINDS.includes(file.kind));
			}
			const body: IDataObject = {
				model,
				messages: [{ role: 'user', content: [part, { type: 'text', text: prompt }] }],
				stream: false,
			};
			if (options.maxTokens !== undefined) body.max_tokens = Number(options.maxTokens);
			const answer = checkAnswer(client, anyObject, await client.request('chatCompletion', { body, pages, itemIndex }), itemIndex) as IDataObject;
			return [chatItem(answer)];
		};
	},
};
