export * from './tls-options';
export * from './mutual-tls';
export * from './origin-verification';
export * from './tls-plan';
export * from './custom-domain';
export * from './edge-front';
export * from './api-tls';
