export * from './api-keys-options';
export * from './api-keys';
export * from './consumer-api-key';
export * from './api-key-body';
export {
  API_GATEWAY_KEY_LIMITS,
  DEFAULT_ROTATION,
  KEYS_PER_CONSUMER,
  methodThrottleKey,
  resolveRotation,
  validateApiKeysOptions,
} from './validate';
export type { ResolvedRotation } from './validate';
