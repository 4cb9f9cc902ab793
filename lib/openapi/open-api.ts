import { resolve as resolvePath } from 'path';
import { copyJson, INLINE_SOURCE, loadDocumentFile, loadDocumentObject } from './load';
import { LoadedDocument } from '../model';

/**
 * The OpenAPI document a SecureApi is built from: OpenAPI 3.0, 3.1 or Swagger 2.0, as YAML or JSON.
 */
export class OpenApi {
  /** A YAML or JSON file. It is read and validated when the construct is created (at synth). */
  public static fromFile(path: string): OpenApi {
    // Resolved now, so a later change of working directory does not change which file is read.
    const absolute = resolvePath(path);
    return new OpenApi(() => loadDocumentFile(absolute));
  }

  /** A document given as a plain object (for example parsed by your own code). It is copied, not kept. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- public jsii API: `any` is how jsii spells a JSON map for other languages
  public static fromObject(document: { [key: string]: any }): OpenApi {
    // Copy now: the caller may keep editing the object after handing it to us. A value that is
    // not JSON data is reported by load(), where every other input error is reported too.
    let snapshot: unknown;
    let copyError: unknown;
    try {
      snapshot = copyJson(document, INLINE_SOURCE);
    } catch (e) {
      copyError = e;
    }
    return new OpenApi(() => {
      if (copyError !== undefined) throw copyError;
      return loadDocumentObject(snapshot, INLINE_SOURCE);
    });
  }

  private loaded?: LoadedDocument;

  private constructor(private readonly loader: () => LoadedDocument) {}

  /**
   * Parses and validates the document (once; later calls return the same result). Throws `OpenApiError`.
   * @jsii ignore it returns the OpenAPI pipeline's internal document model that SecureApi consumes.
   */
  public load(): LoadedDocument {
    if (this.loaded === undefined) this.loaded = this.loader();
    return this.loaded;
  }
}
