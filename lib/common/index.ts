export * from './acknowledge';
export * from './handler-function';
export * from './least-privilege-role';
export * from './hardened-buckets';
export * from './lambda-invocation-uri';
export * from './content-addressed-directory';
export * from './bundled-handler';
export * from './secure-key';
