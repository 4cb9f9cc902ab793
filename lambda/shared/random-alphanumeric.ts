import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `length` alphanumeric characters from the platform CSPRNG, each equally likely: bytes >= 248 are dropped
 * (248 = 4 × 62), so no character gets the modulo's extra share. For secrets the rotation functions generate.
 */
export function randomAlphanumeric(length: number): string {
  let value = '';
  while (value.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && value.length < length) value += ALPHANUMERIC[byte % 62];
    }
  }
  return value;
}
