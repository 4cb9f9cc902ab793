export * from './operation-integration';
export * from './resolve-integrations';
