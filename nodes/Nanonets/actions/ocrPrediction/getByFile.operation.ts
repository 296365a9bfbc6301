import { getOutputFormat, getShapeOptions, optionsProperty, outputFormatProperties, shapeOptions, showFor, withDisplay } from '../common';
import type { Operation } from '../types';
import { checkId } from '../../validation';
import { v2PredictionItems } from '../../results/v2';
import { getModelId, modelIdFor } from '../v2common';
import { getPredictionFile } from '../../waiting';

export const getByFile: Operation = {
	description: withDisplay(showFor('ocrPrediction', 'getByFile'), [
		modelIdFor('OCR'),
		{
			displayName: 'Request File ID',
			name: 'requestFileId',
			type: 'string',
			required: true,
			default: '',
			description: 'The request_file_id Nanonets returned for the file when it was sent for prediction',
		},
		...outputFormatProperties(),
		optionsProperty(shapeOptions),
	]),

	async prepare(itemIndex) {
		const modelId = getModelId(this, itemIndex);
		const requestFileId = checkId(this, this.getNodeParameter('requestFileId', itemIndex), 'Request File ID', itemIndex);
		const format = getOutputFormat(this, itemIndex);
		const shape = getShapeOptions(this, itemIndex);
		return async (client) => v2PredictionItems(await getPredictionFile(client, modelId, requestFileId, itemIndex), format, shape);
	},
};
