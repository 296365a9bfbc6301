import type { INodeProperties } from 'n8n-workflow';

/** The account's rate limit, shared by both credential types: the node paces uploads by it. */
export const pagesPerMinuteProperty: INodeProperties = {
	displayName: 'Pages per Minute',
	name: 'pagesPerMinute',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 75,
	description:
		"Your Nanonets account's processing rate limit (75 on the standard plan). The node paces uploads to stay under it instead of running into errors. 0 turns pacing off.",
};
