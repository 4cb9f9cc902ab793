export * from './secure-api';
export * from './openapi';
export * from './integrations';
export * from './stage';
export * from './cors';
export * from './account';
export * from './observability';
export * from './responses';
