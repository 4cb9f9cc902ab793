export * from './acknowledge';
export * from './handler-function';
