// The embedded database's folder on disk: private to its user (0700/0600, also when an older folder
// was readable by others), and no secret readable from its files (a copied pgdata/ gives nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { openDatabase } from '../../src/db/database.js';
import { CalendarService } from '../../src/domain/calendar/service.js';
import { findSource } from '../../src/domain/calendar/store.js';
import { WebhooksService } from '../../src/domain/webhooks/service.js';
import { embeddedOnly } from '../helpers/db.js';

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out.push(p);
    if (statSync(p).isDirectory()) files(p, out);
  }
  return out;
}

const loose = (dir: string) => [dir, ...files(dir)].filter((p) => statSync(p).mode & 0o077).map((p) => `${p} ${(statSync(p).mode & 0o777).toString(8)}`);

async function open(dir: string, env: Record<string, string> = {}, warnings: string[] = []): Promise<Container> {
  const config = loadConfig({ COLLOQUY_DATA_DIR: dir, LOG_LEVEL: 'silent', COLLOQUY_WORKER: 'off', COLLOQUY_DEMO_USER: 'false', COLLOQUY_CONFIG_FILE: '', COLLOQUY_ENGINE_THREADS: '0', ...env });
  const database = await openDatabase({ dataDir: config.dataDir, warn: (m) => warnings.push(m) });
  try {
    return await createContainer(config, { database });
  } catch (err) {
    await database.close();
    throw err;
  }
}

test('the data folder is private and its files hold no secret in clear', { timeout: 600_000, skip: embeddedOnly }, async () => {
  const previous = process.umask(0o022); // as a login shell would leave it
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-data-'));
  chmodSync(dir, 0o755);
  try {
    const first: string[] = [];
    let c = await open(dir, {}, first);
    const user = await c.accounts.createUser({ email: 'owner@example.com', name: 'Owner', tier: 'professional' });
    const hooks = new WebhooksService({ db: c.db, newId: c.newId, allowPrivate: true, secrets: c.secrets });
    const hook = await hooks.create({ userId: user.id, tier: 'professional', limits: { maxWebhooks: 3 } }, { url: 'http://127.0.0.1:9/hook', events: ['conversation.created'] });
    const google = { type: 'google' as const, refreshToken: '1//refresh-token-in-the-folder-test', clientId: 'id.apps.example', clientSecret: 'client-secret-in-the-folder-test' };
    await new CalendarService({ db: c.db, config: c.config.calendar, clock: c.clock, secrets: c.secrets, feeds: c.calendarFeeds }).setSource(user.id, google);
    assert.equal((await findSource(c.db, user.id, c.secrets))!.config.refreshToken, google.refreshToken, 'read back in clear');
    await c.close();

    const contents = files(join(dir, 'pgdata')).filter((p) => statSync(p).isFile()).map((p) => readFileSync(p));
    for (const secret of [hook.secret, hook.secret.slice('whsec_'.length), google.refreshToken, google.clientSecret]) {
      assert.ok(!contents.some((b) => b.includes(secret)), `"${secret.slice(0, 12)}…" is not in the database files`);
    }
    assert.deepEqual(loose(dir), [], 'folders 0700 and files 0600');
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    assert.equal(first.length, 1, 'the folder made 0755 was tightened, with a warning');

    // An older folder, readable by others: tightened on start, with one warning naming it.
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'pgdata'), 0o755);
    chmodSync(join(dir, 'pgdata', 'PG_VERSION'), 0o644);
    const second: string[] = [];
    c = await open(dir, {}, second);
    assert.equal(second.length, 1, second.join('\n'));
    assert.match(second[0], /3 files and folders .* were readable by other users/);
    assert.deepEqual(loose(dir), []);
    // The key in the folder still opens what it sealed.
    assert.equal((await findSource(c.db, user.id, c.secrets))!.config.clientSecret, google.clientSecret);
    await c.close();

    // Another key does not open them: refused with a clear message, not garbled secrets.
    await assert.rejects(open(dir, { COLLOQUY_SECRET_KEY: 'some-other-key-that-is-long-enough-0000' }), /encrypted with another key/);
  } finally {
    process.umask(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});
