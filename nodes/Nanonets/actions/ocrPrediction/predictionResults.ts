import type { IDataObject } from 'n8n-workflow';

import { v2Pages, type V2Page } from '../../results/v2';

/** The pages of one request file's answer (Get Prediction File By File ID). Pure: no request. */
export function predictionFilePages(answer: IDataObject): V2Page[] {
	return v2Pages(answer);
}

/** A page is finished once it has predictions or a final status. */
export function predictionPageFinished(page: V2Page): boolean {
	if (page.boxes.length > 0) return true;
	return /^(success|failure|failed)$/i.test(page.status ?? '');
}
