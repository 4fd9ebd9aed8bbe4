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

let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Random bytes served from an 8 KiB block drawn from the CSPRNG at a time: for identifiers made on
 * every request (request ids), where one draw per id would cost more than the id is worth. Secrets
 * (keys, signing secrets) draw directly.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (n > 1024) return nodeRandomBytes(n);
  if (poolOffset + n > pool.length) {
    pool = nodeRandomBytes(8192);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
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
