/**
 * Types shared by the OpenAPI pipeline passes. This folder is pure document
 * transformation: it never imports aws-cdk-lib, so values that come from the
 * constructs (CDK tokens) pass through it as opaque strings and objects.
 */

import { SecureApiConfigError } from '../model/config-error';

export type JsonObject = { [key: string]: unknown };

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** The dialect a document was written in. */
export type OpenApiVersion = '2.0' | '3.0' | '3.1';

/** A synth-time finding of a pass. Warnings become CDK Annotations; nothing is dropped silently. */
export interface PipelineWarning {
  /** `info` for facts a user may want to know (derived operationIds); a warning otherwise. */
  readonly level?: 'info' | 'warning';
  /** The operation the warning is about, when there is one. */
  readonly operationId?: string;
  /** A JSON pointer into the user's document, when there is one (e.g. `/paths/~1pets/post/requestBody`). */
  readonly pointer?: string;
  /** The schema keyword or feature API Gateway cannot enforce (e.g. `discriminator`, `format:uuid`). */
  readonly keyword?: string;
  readonly message: string;
}

/**
 * Thrown by every pass for a document (or an option of the passes) that cannot become an API: the one
 * configuration error, {@link SecureApiConfigError}, under the prop `openApi`. Its problem names the
 * document and, when known, the JSON pointer: `SecureApi 'Stack/Api': openApi pets.yaml#/paths/~1a: …`.
 * A pass knows no construct; the construct runs it through `inConstruct`, which adds the construct path.
 */
export class OpenApiError extends SecureApiConfigError {
  /** The problem as the pass put it, without the document and pointer. */
  private readonly documentProblem: string;

  constructor(
    message: string,
    /** The document's file path, or `(inline document)`. */
    public readonly source: string,
    /** A JSON pointer to where the problem is, when known. */
    public readonly pointer?: string,
    constructPath = '',
  ) {
    super(constructPath, 'openApi', pointer !== undefined ? `${source}#${pointer}: ${message}` : `${source}: ${message}`);
    this.name = 'OpenApiError';
    this.documentProblem = message;
  }

  public override inConstruct(constructPath: string): OpenApiError {
    return new OpenApiError(this.documentProblem, this.source, this.pointer, constructPath);
  }
}

/** A document as read from disk or given as an object, before any pass. */
export interface LoadedDocument {
  /** File path or `(inline document)`; used in every error message. */
  readonly source: string;
  readonly version: OpenApiVersion;
  /** The parsed document. Internal `$ref`s are kept (they may be circular). */
  readonly document: JsonObject;
}

/** One OpenAPI security requirement object: scheme name → scopes (AND within the object). */
export type SecurityRequirement = { [schemeName: string]: string[] };

/** A request parameter as API Gateway keeps it: only these fields survive import. */
export interface ApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
}

export interface ApiRequestBody {
  readonly required: boolean;
  /** Every media type the operation declares, as written. */
  readonly contentTypes: string[];
  /**
   * Name of the draft-4 model (in `AnalyzedApi.models`) for the body's primary JSON media type
   * (`application/json`, else the first `+json` type). It also validates requests whose Content-Type
   * the document does not declare (the `$default` model), which closes API Gateway's Content-Type gap.
   */
  readonly jsonModelName?: string;
  /** The model of every declared JSON media type (`application/json`, `*\/*+json`), by media type. */
  readonly modelsByContentType?: { [mediaType: string]: string };
}

/** A declared response: API Gateway keeps only the status code and description (it never validates responses). */
export interface ApiResponse {
  /** `200`, `4XX`, `default` ... as written. */
  readonly status: string;
  readonly description: string;
}

/** One operation after analysis: what the construct and every concern needs to know about it. */
export interface ApiOperation {
  readonly operationId: string;
  /** The document has no operationId for this operation: `operationId` was derived from method and path. */
  readonly derivedOperationId?: boolean;
  readonly method: HttpMethod;
  /** The API Gateway path, after sibling path variables were unified. */
  readonly path: string;
  /** The path as written in the user's document. */
  readonly sourcePath: string;
  /**
   * Set when this operation is one of the literal routes an enum-valued partial path segment was expanded into
   * (`GET /v{version}/areas` with `enum: [1, 2]` → `/v1/areas`, `/v2/areas`): the document's operationId, which props
   * may use to name every one of them. Absent for an operation served as the document writes it.
   */
  readonly documentOperationId?: string;
  /** With {@link documentOperationId}: the path variables the expansion fixed, with their values (`{ version: '1' }`). */
  readonly fixedPathValues?: { readonly [variable: string]: string };
  /**
   * The effective security requirements: the operation's own `security` if present, else the
   * document's root `security`. `undefined` when neither declares any; `[]` when explicitly public.
   */
  readonly security?: SecurityRequirement[];
  readonly parameters: ApiParameter[];
  readonly requestBody?: ApiRequestBody;
  /** The operation's `x-*` vendor extensions (e.g. `x-internal`, `x-secureapi-throttling`). */
  readonly extensions: JsonObject;
  /** The declared responses (status code or `default`, and description), in document order. */
  readonly responses?: ApiResponse[];
  /** The operation's tags and summary, for documentation and dashboards. */
  readonly tags: string[];
  readonly summary?: string;
}

/** The result of analysis: the normalized (OpenAPI 3.0) document and everything derived from it. */
export interface AnalyzedApi {
  readonly source: string;
  /** The dialect of the user's document before normalization. */
  readonly sourceVersion: OpenApiVersion;
  /** The user's document normalized to OpenAPI 3.0 (for documentation and for tests). */
  readonly document: JsonObject;
  readonly operations: ApiOperation[];
  /** Draft-4 JSON Schema models keyed by alphanumeric model name; references between them use `#/components/schemas/<name>`. */
  readonly models: { [modelName: string]: JsonObject };
  /** The document's security schemes (OpenAPI 3.0 form). */
  readonly securitySchemes: { [schemeName: string]: JsonObject };
  readonly warnings: PipelineWarning[];
}

/** Options for analysis. */
export interface AnalyzeOptions {
  /** Operations to leave out knowingly (for example paths API Gateway can never serve), by operationId or route key (`GET /a/{id}`). */
  readonly excludeOperations?: string[];
  /**
   * On an operation that declares a JSON media type, leave out its other media types, so API Gateway
   * validates a body of any other Content-Type against the JSON model (`$default`) and rejects what is
   * not valid JSON, instead of passing it to the backend unvalidated.
   */
  readonly rejectUnvalidatedMediaTypes?: boolean;
  /** The SecureApi construct path, for configuration errors. */
  readonly constructPath?: string;
}
