/** IDs taken out of pasted Nanonets app addresses (pure; the engine tests run them in the node). */
import { idFromAppUrl } from '../nodes/Nanonets/actions/common';

const ID = '8d5e2f9a-4c1b-4e8a-9f3d-2b6c7a1e0f45';

test.each([
	[ID, ID],
	[`  ${ID} `, ID],
	[`https://app.nanonets.com/#/workflows/${ID}`, ID],
	[`https://app.nanonets.com/#/workflows/${ID}/documents?tab=review`, ID],
	[`https://app.nanonets.com/workflows/${ID}/settings`, ID],
	[`https://app.nanonets.com/#/ocr/test/${ID}`, ID],
	[`https://app.nanonets.com/#/models/${ID}/overview`, ID],
	[`https://app.nanonets.com/#/x?model_id=${ID}`, ID],
	['https://app.nanonets.com/#/workflows/%E0%A4%A', '%E0%A4%A'],
])('%s gives %s', (value, expected) => {
	expect(idFromAppUrl(value, ['workflows', 'models'])).toBe(expected);
});

test.each(['https://app.nanonets.com/#/workflows', 'https://app.nanonets.com/#/workflows/new', 'https://example.com/invoice.pdf'])(
	'%s holds no ID',
	(value) => {
		expect(idFromAppUrl(value, ['workflows', 'models'])).toBeUndefined();
	},
);
