/**
 * The agreement between the JWT authorizer (lambda/authorizer, which emits the metric in CloudWatch
 * embedded metric format) and the dashboard (lib/observability, which graphs it): one count a
 * rejected request, by reason. Dependency-free so the handler bundle stays small.
 */
export const AUTHORIZER_METRICS = {
  /** Default CloudWatch namespace of the authorizer's metrics. */
  defaultNamespace: 'CdkSecureApi/Authorizer',
  /** A request the authorizer rejected (401 or 403); value 1, unit Count. */
  rejections: 'Rejections',
  /** Dimension naming the API (its REST API name), so one namespace serves many APIs. */
  apiDimension: 'Api',
  /** Dimension holding the rejection reason code (e.g. `expired`, `bad_signature`, `insufficient_scope`). */
  reasonDimension: 'Reason',
} as const;

/** Environment variables the construct sets and the authorizer reads to label its metrics. */
export const AUTHORIZER_METRICS_ENV = {
  /** CloudWatch namespace; defaults to {@link AUTHORIZER_METRICS.defaultNamespace}. */
  namespace: 'AUTHORIZER_METRIC_NAMESPACE',
  /** Value of the `Api` dimension. */
  apiName: 'AUTHORIZER_METRIC_API_NAME',
} as const;
