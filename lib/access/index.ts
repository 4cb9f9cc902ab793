export * from './api-access';
