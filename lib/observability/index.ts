export * from './access-log-format';
export * from './access-log-metrics';
export * from './alarm-thresholds';
export * from './api-logs';
export * from './api-monitoring';
export * from './log-pipeline';
