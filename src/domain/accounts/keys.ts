import { randomBase62, sha256Hex, type RandomBytes } from '../ids.js';

// Keys carry ~190 bits of randomness, so a fast SHA-256 is a sufficient one-way hash: there is no
// password to brute-force, and lookups stay a single indexed equality.
export const KEY_PREFIX = 'convo_';
const KEY_BODY_LENGTH = 32;
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 6;
const KEY_PATTERN = /^convo_[0-9A-Za-z]{32}$/;

export function generateApiKey(random?: RandomBytes): { key: string; hash: string; prefix: string } {
  const key = KEY_PREFIX + randomBase62(KEY_BODY_LENGTH, random);
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}
