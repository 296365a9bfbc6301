/**
 * Multipart bodies from the platform's `FormData` and `File`: n8n's HTTP client writes them
 * part by part, reading a file's bytes as it sends them, so the package needs no form library.
 */

/** A file to send: its bytes are held once, in a `Blob`, whichever binary mode n8n uses. */
export interface FormFile {
	fileName: string;
	mimeType: string;
	content: Blob;
}

/** Text fields; a list repeats the field, one value per entry. */
export type FormFields = Record<string, string | string[] | undefined>;

/** Builds one request's body; `onFileSent` is called once the file's last byte has been read. */
export type MultipartBody = (onFileSent?: () => void) => FormData;

/** A file that says when the HTTP client has read its last byte (Nanonets counts pages from then). */
class ObservedFile extends File {
	constructor(
		file: FormFile,
		private readonly onRead: () => void,
	) {
		// The Blob is referenced, not copied.
		super([file.content], file.fileName, { type: file.mimeType });
	}

	override stream(): ReturnType<File['stream']> {
		const onRead = this.onRead;
		return super.stream().pipeThrough(new TransformStream({ flush: () => onRead() })) as ReturnType<File['stream']>;
	}
}

/**
 * A multipart body with `fields` and then the file (field `file`), if any. A new form per
 * attempt, so that a retry sends the whole file again; the file's bytes are shared.
 */
export function multipartBody(fields: FormFields, file?: FormFile): MultipartBody {
	return (onFileSent) => {
		const form = new FormData();
		for (const [name, value] of Object.entries(fields)) {
			for (const text of value === undefined ? [] : Array.isArray(value) ? value : [value]) form.append(name, text);
		}
		if (file) {
			form.append('file', onFileSent ? new ObservedFile(file, onFileSent) : new File([file.content], file.fileName, { type: file.mimeType }));
		}
		return form;
	};
}
