export * from './auth';
export { JwtAlgorithm } from './auth-options';
export type { AuthorizerOptions, JwksCacheOptions, JwtAuthProps, JwtIssuer } from './auth-options';
export * from './cognito-server';
export * from './jwt-authorizer';
export * from './scope-map';
