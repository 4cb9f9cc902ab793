export * from './acknowledge';
export * from './handler-function';
export * from './least-privilege-role';
export * from './hardened-buckets';
export * from './lambda-invocation-uri';
export * from './secure-key';
