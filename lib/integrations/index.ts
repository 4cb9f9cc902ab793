export * from './operation-integration';
export * from './resolve-integrations';
export * from './invoke-permissions';
export * from './withheld-headers';
export * from './sqs-integration';
export * from './event-bridge-integration';
export * from './step-functions-integration';
