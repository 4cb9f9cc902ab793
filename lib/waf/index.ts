export * from './waf-options';
export * from './api-waf';
export * from './auto-blocker';
export { MANAGED_RULE_GROUP_CAPACITY, BASE_PRICE_CAPACITY, MAX_CAPACITY } from './capacity';
export type { CapacityBudget, RuleCapacity } from './capacity';
export { RATE_LIMIT_EXTENSION, MAX_BODY_SIZE_EXTENSION, wafMode } from './waf-config';
export type { AutoBlockSettings, WafFront } from './waf-config';
