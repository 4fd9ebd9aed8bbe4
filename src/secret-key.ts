import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from './config.js';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The key that seals stored secrets: COLLOQUY_SECRET_KEY when set; else, on the embedded database,
 * a random key generated once into its data folder (0600, beside but not inside the database files,
 * so a copied pgdata/ alone does not open them); else (PostgreSQL with no key set) none. Several
 * processes, possibly on several machines, share a PostgreSQL database, and a key made up by one
 * of them would lock the others out, so there the operator sets the key; until then secrets are
 * stored as given and a warning says so.
 */
export function loadSecretKey(o: { secretKey: string | null; dataDir: string | null }): Buffer | null {
  if (o.secretKey) return Buffer.from(o.secretKey, 'utf8');
  if (!o.dataDir) return null;
  const path = join(o.dataDir, SECRET_KEY_FILE);
  if (!existsSync(path)) {
    // `wx`: two processes racing here cannot both write a key; the loser reads the winner's.
    try {
      writeFileSync(path, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(path, 0o600);
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < 32) throw new ConfigError(`The key file ${path} is damaged (too short); restore it from a backup`);
  return Buffer.from(key, 'utf8');
}
