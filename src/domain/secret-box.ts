// Secrets kept in the database (webhook signing secrets, OAuth refresh tokens and client secrets)
// are sealed with AES-256-GCM, so a copied database file or backup does not hand them out. A sealed
// value is `enc:v1:` + base64url(iv ‖ tag ‖ ciphertext); anything else is a value written before
// sealing existed (or without a key), read as it is and sealed again on the next start.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyMismatchError extends Error {}

export class SecretBox {
  readonly #key: Buffer | null;

  /** `key`: key material of any length (it is stretched with HKDF); null stores values as given. */
  constructor(key: Buffer | null) {
    this.#key = key ? Buffer.from(hkdfSync('sha256', key, 'colloquy', 'stored secrets v1', 32)) : null;
  }

  /** True when values are sealed; false on a database with no key configured. */
  get sealing(): boolean {
    return this.#key !== null;
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(plain: string): string {
    if (!this.#key) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    if (!this.#key) throw new SecretKeyMismatchError('A stored secret is encrypted, and no key is configured (COLLOQUY_SECRET_KEY)');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyMismatchError('A stored secret was encrypted with another key than the configured one');
    }
  }
}

/** Stores values as given: for callers with no database key (unit tests, tools). */
export const plainBox = new SecretBox(null);
