import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from './types';
import { optionsProperty, requestTimeoutOption, showFor, withDisplay } from './common';
import { deleteDocument } from './document/delete.operation';
import { get as getDocument } from './document/get.operation';
import { getAll as getAllDocuments } from './document/getAll.operation';
import { getPage as getDocumentPage } from './document/getPage.operation';
import { upload as uploadDocument } from './document/upload.operation';
import { verify as verifyDocument } from './document/verify.operation';
import { updateField as updateDocumentField } from './document/updateField.operation';
import { getOriginal as getOriginalDocument } from './document/getOriginal.operation';
import { get as getWorkflow } from './workflow/get.operation';
import { getAll as getAllWorkflows } from './workflow/getAll.operation';
import { FROM_VERSION_2, VERSION_1 } from './common';
import { extract as extractFullText } from './fullText/extract.operation';
import { create as createOcrModel } from './ocrModel/create.operation';
import { get as getOcrModel } from './ocrModel/get.operation';
import { train as trainOcrModel } from './ocrModel/train.operation';
import { uploadTrainingData as uploadOcrTrainingData } from './ocrModel/uploadTrainingData.operation';
import { predict as predictOcr } from './ocrPrediction/predict.operation';
import { getByFile as getOcrPredictionByFile } from './ocrPrediction/getByFile.operation';
import { getByPage as getOcrPredictionByPage } from './ocrPrediction/getByPage.operation';
import { getAll as getAllOcrPredictions } from './ocrPrediction/getAll.operation';
import { create as createImageModel } from './imageModel/create.operation';
import { get as getImageModel } from './imageModel/get.operation';
import { getAll as getAllImageModels } from './imageModel/getAll.operation';
import { train as trainImageModel } from './imageModel/train.operation';
import { uploadTrainingData as uploadImageTrainingData } from './imageModel/uploadTrainingData.operation';
import { predict as classifyImage } from './imageClassification/predict.operation';
import { extract as extractDocument } from './extraction/extract.operation';
import { getResult as getExtractionResult } from './extraction/getResult.operation';
import { getAll as getAllExtractionResults } from './extraction/getAll.operation';
import { classify as classifyDocument } from './documentClassification/classify.operation';
import { complete as completeChat } from './chat/complete.operation';

/** resource -> operation -> implementation; the router and the node description read this. */
export const operations: Record<string, Record<string, Operation>> = {
	document: {
		upload: uploadDocument,
		get: getDocument,
		getAll: getAllDocuments,
		getPage: getDocumentPage,
		delete: deleteDocument,
		verify: verifyDocument,
		updateField: updateDocumentField,
		getOriginal: getOriginalDocument,
	},
	workflow: { getAll: getAllWorkflows, get: getWorkflow },
	fullText: { extract: extractFullText },
	ocrModel: {
		create: createOcrModel,
		get: getOcrModel,
		train: trainOcrModel,
		uploadTrainingData: uploadOcrTrainingData,
	},
	ocrPrediction: {
		predict: predictOcr,
		getByFile: getOcrPredictionByFile,
		getByPage: getOcrPredictionByPage,
		getAll: getAllOcrPredictions,
	},
	imageModel: {
		create: createImageModel,
		get: getImageModel,
		getAll: getAllImageModels,
		train: trainImageModel,
		uploadTrainingData: uploadImageTrainingData,
	},
	imageClassification: { predict: classifyImage },
	// Nanonets' extraction API (credential nanonetsExtractionApi)
	extraction: { extract: extractDocument, getResult: getExtractionResult, getAll: getAllExtractionResults },
	documentClassification: { classify: classifyDocument },
	chat: { complete: completeChat },
};

/** Operations that version 1 never had: refused there, so old workflows keep their meaning. */
export const VERSION_2_OPERATIONS: Record<string, string[]> = {
	document: ['verify', 'updateField', 'getOriginal'],
	workflow: ['getAll', 'get'],
	extraction: ['extract', 'getResult', 'getAll'],
	documentClassification: ['classify'],
	chat: ['complete'],
};

/** Version 2's extraction API resources, for the resource list. */
const extractionResourceOptions: INodePropertyOptions[] = [
	{ name: 'Chat', value: 'chat', description: 'Extraction API: ask a question about a document or image' },
	{ name: 'Document Classification', value: 'documentClassification', description: 'Extraction API: sort pages into your categories' },
	{ name: 'Extraction', value: 'extraction', description: 'Extraction API: markdown, HTML, JSON or CSV from any document, no setup' },
];

const resourceOptions = (): INodePropertyOptions[] => [
	{ name: 'Full Text', value: 'fullText', description: 'V2 API: all words and text of a file, without a model' },
	{ name: 'Image Classification', value: 'imageClassification', description: 'V2 API: label images with a trained image model' },
	{ name: 'Image Model', value: 'imageModel', description: 'V2 API: create and train image classification models' },
	{ name: 'OCR Model', value: 'ocrModel', description: 'V2 API: create and train OCR models' },
	{ name: 'OCR Prediction', value: 'ocrPrediction', description: 'V2 API: extract fields and tables with an OCR model' },
	{ name: 'Workflow Document', value: 'document', description: 'Documents in a Nanonets v4 workflow' },
];

const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: resourceOptions(),
	default: 'document',
};

/** Resource, per node version: version 2 adds Workflow. */
export const resourceProperties: INodeProperties[] = [
	{ ...resourceSelector, displayOptions: { show: VERSION_1 } },
	{
		...resourceSelector,
		// Alphabetical, as n8n lists options: Workflow comes before Workflow Document.
		options: [
			...resourceOptions().slice(0, -1),
			...extractionResourceOptions,
			{ name: 'Workflow', value: 'workflow', description: 'The account\'s v4 workflows, with their fields and settings' },
			...resourceOptions().slice(-1),
		].sort((a, b) => a.name.localeCompare(b.name)),
		displayOptions: { show: FROM_VERSION_2 },
	},
];


function operationSelector(
	resource: string,
	options: INodeProperties['options'],
	defaultValue: string,
	version: IDisplayOptions['show'] = {},
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource], ...version } },
		options,
		default: defaultValue,
	};
}

const documentOperations: INodePropertyOptions[] = [
	{ name: 'Delete', value: 'delete', action: 'Delete a document', description: 'Delete a document and its extracted data' },
	{ name: 'Get', value: 'get', action: 'Get a document', description: 'Get a document with its extracted fields and tables' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many documents', description: 'List the documents of a workflow, newest first' },
	{ name: 'Get Page', value: 'getPage', action: 'Get a document page', description: 'Get the extracted data of one page' },
	{
		name: 'Upload',
		value: 'upload',
		action: 'Upload a document',
		description: 'Send a file or URL to a workflow and (optionally) wait for the extracted data',
	},
];

/** Version 2's review operations, among the document operations in alphabetical order. */
const documentReviewOperations: INodePropertyOptions[] = [
	{ name: 'Get Original File', value: 'getOriginal', action: 'Get the original file of a document', description: 'Download the uploaded file as binary data' },
	{ name: 'Update Field', value: 'updateField', action: 'Update a field value of a document', description: 'Correct one extracted value by its page and field data ID' },
	{ name: 'Verify', value: 'verify', action: 'Verify a document', description: 'Approve or reject the document in Nanonets\' review, with a message' },
];

export const operationProperties: INodeProperties[] = [
	operationSelector('document', documentOperations, 'upload', VERSION_1),
	operationSelector(
		'document',
		[...documentOperations, ...documentReviewOperations].sort((a, b) => a.name.localeCompare(b.name)),
		'upload',
		FROM_VERSION_2,
	),
	operationSelector(
		'workflow',
		[
			{ name: 'Get', value: 'get', action: 'Get a workflow', description: 'Get a workflow with its fields, table headers and settings' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many workflows', description: 'List the account\'s workflows' },
		],
		'getAll',
		FROM_VERSION_2,
	),
	operationSelector(
		'fullText',
		[{ name: 'Extract', value: 'extract', action: 'Extract the full text of a file', description: 'Get every word with its position, and the text of each page' }],
		'extract',
	),
	operationSelector(
		'ocrModel',
		[
			{ name: 'Create', value: 'create', action: 'Create an OCR model', description: 'Create a model for the given fields' },
			{ name: 'Get', value: 'get', action: 'Get an OCR model', description: 'Get a model with its state and categories' },
			{ name: 'Train', value: 'train', action: 'Train an OCR model', description: 'Start (re)training the model on its uploaded data' },
			{
				name: 'Upload Training Data',
				value: 'uploadTrainingData',
				action: 'Upload training data to an OCR model',
				description: 'Add training files or URLs, optionally with annotations',
			},
		],
		'get',
	),
	operationSelector(
		'ocrPrediction',
		[
			{ name: 'Get Many', value: 'getAll', action: 'Get many predictions in a date range', description: 'List the predicted pages of a model between two dates' },
			{ name: 'Get by File', value: 'getByFile', action: 'Get the prediction of a file', description: 'Get a file\'s prediction by its request_file_id' },
			{ name: 'Get by Page', value: 'getByPage', action: 'Get the prediction of a page', description: 'Get one page\'s prediction by its ID' },
			{
				name: 'Predict',
				value: 'predict',
				action: 'Predict with an OCR model',
				description: 'Send files or URLs to a model and (optionally) wait for the extracted data',
			},
		],
		'predict',
	),
	operationSelector(
		'imageModel',
		[
			{ name: 'Create', value: 'create', action: 'Create an image model', description: 'Create a model for two or more categories' },
			{ name: 'Get', value: 'get', action: 'Get an image model', description: 'Get a model with its state and categories' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many image models', description: 'List your image classification models' },
			{ name: 'Train', value: 'train', action: 'Train an image model', description: 'Start (re)training the model on its uploaded images' },
			{
				name: 'Upload Training Data',
				value: 'uploadTrainingData',
				action: 'Upload training images to an image model',
				description: 'Add images of one category, as files or URLs',
			},
		],
		'get',
	),
	operationSelector(
		'extraction',
		[
			{
				name: 'Extract',
				value: 'extract',
				action: 'Extract a document with the extraction API',
				description: 'Get markdown, HTML, JSON or CSV from a file or URL, waiting for long documents',
			},
			{ name: 'Get Many', value: 'getAll', action: 'Get many extraction results', description: 'List recent extraction results, newest first' },
			{ name: 'Get Result', value: 'getResult', action: 'Get an extraction result', description: 'Get an extraction by its record ID' },
		],
		'extract',
		FROM_VERSION_2,
	),
	operationSelector(
		'documentClassification',
		[{ name: 'Classify', value: 'classify', action: 'Classify a document', description: 'Give each page one of your categories, and the document its main one' }],
		'classify',
		FROM_VERSION_2,
	),
	operationSelector(
		'chat',
		[{ name: 'Complete', value: 'complete', action: 'Ask about a document', description: 'Ask a question about a document or image and get the answer' }],
		'complete',
		FROM_VERSION_2,
	),
	operationSelector(
		'imageClassification',
		[{ name: 'Predict', value: 'predict', action: 'Classify images', description: 'Label images (files or URLs) with a trained model' }],
		'predict',
	),
];

export function operationDescriptions(): INodeProperties[] {
	return Object.entries(operations).flatMap(([resource, byName]) =>
		Object.entries(byName).flatMap(([name, operation]) => withRequestTimeout(resource, name, operation.description)),
	);
}

/** Every operation sends requests: each one's Options end with the Request Timeout. */
function withRequestTimeout(resource: string, operation: string, description: INodeProperties[]): INodeProperties[] {
	const options = description.find((property) => property.name === 'options' && property.type === 'collection');
	if (!options) return [...description, ...withDisplay(showFor(resource, operation), [optionsProperty([requestTimeoutOption])])];
	return description.map((property) =>
		property === options ? { ...property, options: [...(property.options ?? []), requestTimeoutOption] as INodeProperties['options'] } : property,
	);
}
