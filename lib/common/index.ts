export * from './acknowledge';
export * from './handler-function';
export * from './least-privilege-role';
