export * from './auth';
export { AuthorizerCacheKey, JwtAlgorithm } from './auth-options';
export type { AuthorizerOptions, JwksCacheOptions, JwtAuthProps, JwtIssuer } from './auth-options';
export * from './cognito-server';
export * from './jwt-authorizer';
export * from './scope-map';
