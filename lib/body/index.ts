export * from './body-placement';
export * from './api-body-placement';
