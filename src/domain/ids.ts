import { randomBytes as nodeRandomBytes, createHash } from 'node:crypto';

export type RandomBytes = (n: number) => Buffer;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 string of `length` characters, without modulo bias (rejection sampling). */
export function randomBase62(length: number, random: RandomBytes = nodeRandomBytes): string {
  let out = '';
  while (out.length < length) {
    for (const b of random(length * 2)) {
      if (b < 248) out += ALPHABET[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface IdGenerator {
  (prefix: string, length?: number): string;
}

/** `sess_`, `key_`, `usr_`, `wh_` … followed by 20 base62 characters (~119 bits). */
export function createIdGenerator(random: RandomBytes = nodeRandomBytes): IdGenerator {
  return (prefix, length = 20) => `${prefix}_${randomBase62(length, random)}`;
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}
