export * from './operation-integration';
export * from './resolve-integrations';
export * from './invoke-permissions';
export * from './withheld-headers';
