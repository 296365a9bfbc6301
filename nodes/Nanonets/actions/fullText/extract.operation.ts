import { concurrencyOption, keepBinaryOption, optionsProperty, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { fullTextItems } from '../../results/v2';
import { checkAnswer, fullTextAnswer } from '../../schemas';
import { prepareV2Input, v2FileInputProperties, v2Form } from '../v2common';

export const extract: Operation = {
	description: withDisplay(showFor('fullText', 'extract'), [
		...v2FileInputProperties,
		optionsProperty([concurrencyOption, keepBinaryOption]),
	]),

	async prepare(itemIndex) {
		const readInput = await prepareV2Input(this, itemIndex);
		return async (client) => {
			const input = await readInput();
			const answer = await client.request<unknown>('fullText', { body: v2Form('fullText', input), pages: input.pages, itemIndex });
			return fullTextItems(checkAnswer(client, fullTextAnswer, answer, itemIndex));
		};
	},
};
