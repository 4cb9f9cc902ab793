export * from './api-model';
export * from './json';
export * from './config-error';
export * from './operation-keys';
export * from './auth-mechanism';
