export * from './stage-hardening';
export * from './secure-stage';
export {
  type OperationCacheOptions,
  planResponseCache,
  cacheBodyContribution,
  type ResponseCachePlan,
  type CachedOperation,
} from './response-cache';
