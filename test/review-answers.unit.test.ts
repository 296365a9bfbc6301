/** Unit tests of how workflow and review answers are read, in each variant Nanonets' sources describe. */
import { lowConfidenceFields, needsReview } from '../nodes/Nanonets/results/formats';
import { originalFileName, originalFileUrl, updatedFieldItem, verificationItem, workflowFrom, workflowList, workflowName } from '../nodes/Nanonets/results/review';
import { documentFromV4 } from '../nodes/Nanonets/results/v4';
import { fileNameFrom } from '../nodes/Nanonets/transport/request';

test('the workflow list, wrapped or bare; entries without an id are left out', () => {
	const list = [{ id: 'a', description: 'Invoices' }, { description: 'no id' }, 'junk', { id: 'b', description: ' ' }];
	expect(workflowList({ workflows: list }).map((w) => w.id)).toEqual(['a', 'b']);
	expect(workflowList(list).map((w) => w.id)).toEqual(['a', 'b']);
	expect(workflowList({ workflows: null })).toEqual([]);
	expect(workflowList('not a list')).toEqual([]);
	expect(workflowList(list).map(workflowName)).toEqual(['Invoices', 'b']);
});

test('one workflow, bare or wrapped', () => {
	expect(workflowFrom({ id: 'a', fields: [] })).toEqual({ id: 'a', fields: [] });
	expect(workflowFrom({ workflow: { id: 'a' } })).toEqual({ id: 'a' });
});

test('verify and update answers: what Nanonets says wins, else what was sent', () => {
	const sent = { workflowId: 'w', documentId: 'd', status: 'failed', message: 'wrong total' };
	expect(verificationItem('', sent)).toEqual({ document_id: 'd', workflow_id: 'w', verification_status: 'failed', verification_message: 'wrong total' });
	expect(verificationItem({ verification_status: 'failed', verification_message: 'Wrong total.' }, sent).verification_message).toBe('Wrong total.');
	const field = { documentId: 'd', pageId: 'p', fieldDataId: 'f', value: '12' };
	expect(updatedFieldItem({}, field)).toMatchObject({ value: '12', field_name: null });
	expect(updatedFieldItem({ field_name: 'total', value: '12.00', confidence: 1 }, field)).toMatchObject({ value: '12.00', field_name: 'total', confidence: 1 });
});

test('an original-file answer in JSON: the address under any known key, at the top or one level down', () => {
	expect(originalFileUrl({ url: 'https://files.example/a.pdf' })).toBe('https://files.example/a.pdf');
	expect(originalFileUrl({ data: { download_url: 'https://files.example/b.pdf' } })).toBe('https://files.example/b.pdf');
	expect(originalFileUrl({ raw_document_url: 'https://app.nanonets.com/raw/c' })).toBe('https://app.nanonets.com/raw/c');
	expect(originalFileUrl({ url: 'javascript:alert(1)' })).toBeUndefined();
	expect(originalFileUrl({ message: 'ok' })).toBeUndefined();
	expect(originalFileName({ url: 'x', original_document_name: 'a.pdf' })).toBe('a.pdf');
	expect(originalFileName({ file_name: '../etc/passwd' })).toBeUndefined();
});

test('the file name of a Content-Disposition header, plain or encoded', () => {
	expect(fileNameFrom('attachment; filename="march invoice.pdf"')).toBe('march invoice.pdf');
	expect(fileNameFrom("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf; filename=\"resume.pdf\"")).toBe('résumé.pdf');
	expect(fileNameFrom('attachment; filename=plain.png')).toBe('plain.png');
	expect(fileNameFrom(undefined)).toBeUndefined();
});

test('Min Confidence: below the threshold, or without a confidence, needs review; at the threshold it does not', () => {
	expect(needsReview(0.79, 0.8)).toBe(true);
	expect(needsReview(0.8, 0.8)).toBe(false);
	expect(needsReview(null, 0.8)).toBe(true);
	const document = documentFromV4({
		document_id: 'd',
		pages: [
			{ page_id: 'p1', page_number: 1, data: { fields: { total: [{ value: '1', confidence: 0.99 }], date: [{ value: 'x', confidence: 0.2 }] } } },
			// The lowest confidence of a field on any page counts.
			{ page_id: 'p2', page_number: 2, data: { fields: { total: [{ value: '1', confidence: 0.5 }], seller: [{ value: 'A' }] } } },
		],
	});
	expect(lowConfidenceFields(document.pages, 0.8)).toEqual(['date', 'total', 'seller']);
	expect(lowConfidenceFields(document.pages, 0)).toEqual(['seller']);
});
