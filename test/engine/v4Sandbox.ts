/** The sandbox's v4 documents, driven by hand: list variants, list changes between pages, slow and failing reads. */
import type { Sandbox } from './sandbox';

export interface SandboxDocument {
	document_id: string;
	uploaded_at: string;
	readyAt: number;
	outcome: string;
	/** What the list shows as status, whatever the document says. */
	listStatus?: string;
}

export interface V4Behaviour {
	listShape: 'object' | 'array';
	pageSizeCap?: number;
	beforeListPage?: (workflowId: string, page: number) => void | Promise<void>;
	readDelayMs: number;
	failingReads: Map<string, number>;
}

interface V4State {
	v4: V4Behaviour;
	resetV4(): void;
	deleteDocument(workflowId: string, documentId: string): void;
	workflows: Map<string, SandboxDocument[]>;
}

export function v4(sandbox: Sandbox): V4State {
	return sandbox.state as unknown as V4State;
}

/** The sandbox answers as Nanonets' reference says again. */
export function resetV4(sandbox: Sandbox): void {
	v4(sandbox).resetV4();
}

/** A document as if uploaded in the Nanonets app, finished at once (or still processing). */
export function addDocument(
	sandbox: Sandbox,
	workflowId: string,
	{ done = true, outcome = 'success', uploadedAt }: { done?: boolean; outcome?: 'success' | 'failure'; uploadedAt?: string } = {},
): string {
	const spec = done ? { delayMs: 0, outcome } : { delayMs: 3_600_000, outcome };
	return sandbox.addDocument(workflowId, { spec, uploadedAt });
}

export function documentsOf(sandbox: Sandbox, workflowId: string): SandboxDocument[] {
	return v4(sandbox).workflows.get(workflowId) ?? [];
}

function find(sandbox: Sandbox, workflowId: string, id: string): SandboxDocument {
	const document = documentsOf(sandbox, workflowId).find((doc) => doc.document_id === id);
	if (!document) throw new Error(`no document ${id}`);
	return document;
}

/** Nanonets finishes processing this document now, in the given status. */
export function finish(sandbox: Sandbox, workflowId: string, id: string, outcome: 'success' | 'failure' = 'success'): void {
	const document = find(sandbox, workflowId, id);
	document.outcome = outcome;
	document.readyAt = Date.now() - 1;
}

/** The list shows this status for the document, whatever the document itself says. */
export function listShows(sandbox: Sandbox, workflowId: string, id: string, status: string | undefined): void {
	find(sandbox, workflowId, id).listStatus = status;
}

/** Document ids emitted, with how often each. */
export function countIds(items: Array<{ document_id?: unknown }>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(String(item.document_id), (counts.get(String(item.document_id)) ?? 0) + 1);
	return counts;
}
