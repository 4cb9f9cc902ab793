export * from './operation-integration';
export * from './resolve-integrations';
export * from './invoke-permissions';
export * from './vpc-link-target';
export * from './caller-identity';
