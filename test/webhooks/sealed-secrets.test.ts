// Webhook signing secrets are sealed at rest (COLLOQUY_SECRET_KEY here): the row holds no usable
// secret, yet the test send and the worker's deliveries are signed with the secret the API returned.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhook } from '../../src/integrations/webhooks/index.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { sealStoredSecrets } from '../../src/domain/stored-secrets.js';
import { dbLabel } from '../helpers/db.js';
import { register, startHarness, waitFor, type WebhookHarness } from './helpers.js';

const SECRET_KEY = 'a-test-key-that-is-long-enough-0123456789';
let h: WebhookHarness;
before(async () => {
  h = await startHarness({ env: { COLLOQUY_SECRET_KEY: SECRET_KEY } });
});
after(async () => {
  await h.close();
});

test(`[${dbLabel}] the stored secret is sealed; test sends and deliveries are signed with the real one`, async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/sealed'), ['conversation.created']);
  assert.match(hook.secret, /^whsec_/);

  const row = await t.container.db.selectFrom('webhooks').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow();
  assert.match(row.secret, /^enc:v1:/);
  assert.ok(!row.secret.includes(hook.secret.slice('whsec_'.length)), 'the row does not contain the secret');
  assert.equal(new SecretBox(Buffer.from(SECRET_KEY)).open(row.secret), hook.secret);

  const sent = await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: hook.id } });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.body.data.delivered, true, sent.text);
  const created = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { content: 'User: hi\nAssistant: hello' } });
  assert.equal(created.status, 200, created.text);
  await waitFor(() => receiver.on('/sealed').length >= 2, 'the test send and the delivery');
  assert.deepEqual(receiver.on('/sealed').map((r) => r.json.event).sort(), ['conversation.created', 'webhook.test']);
  for (const r of receiver.on('/sealed')) assert.equal(verifyWebhook(hook.secret, r.headers, r.body).ok, true, r.json.event);
});

test(`[${dbLabel}] secrets stored in clear are sealed on start; a wrong key is refused with a clear message`, async () => {
  const { t } = h;
  const u = await t.user('professional');
  const db = t.container.db;
  // Rows as an earlier version wrote them.
  await db
    .insertInto('webhooks')
    .values({ id: 'wh_legacyclear', user_id: u.userId, url: 'https://example.com/hook', events: JSON.stringify(['conversation.created']), secret: 'whsec_bGVnYWN5LXNlY3JldC12YWx1ZQ==', created_at: new Date() })
    .execute();
  const google = { refreshToken: '1//legacy-refresh-token', clientId: 'client.apps.example', clientSecret: 'legacy-client-secret', calendarId: null };
  await db.insertInto('calendar_sources').values({ user_id: u.userId, type: 'google', config: JSON.stringify(google), created_at: new Date(), updated_at: new Date() }).execute();

  // What every process does as it opens the database.
  assert.equal(await sealStoredSecrets(db, t.container.secrets), 2);
  const hookRow = await db.selectFrom('webhooks').select('secret').where('id', '=', 'wh_legacyclear').executeTakeFirstOrThrow();
  assert.match(hookRow.secret, /^enc:v1:/);
  assert.equal(t.container.secrets.open(hookRow.secret), 'whsec_bGVnYWN5LXNlY3JldC12YWx1ZQ==');
  const source = await db.selectFrom('calendar_sources').select('config').where('user_id', '=', u.userId).executeTakeFirstOrThrow();
  const stored = source.config as Record<string, string>;
  assert.match(stored.refreshToken, /^enc:v1:/);
  assert.match(stored.clientSecret, /^enc:v1:/);
  assert.equal(stored.clientId, google.clientId, 'the client id is not a secret');
  assert.equal(t.container.secrets.open(stored.refreshToken), google.refreshToken);
  assert.equal(await sealStoredSecrets(db, t.container.secrets), 0, 'nothing left in clear');

  await assert.rejects(sealStoredSecrets(db, new SecretBox(Buffer.from('another-key-that-is-long-enough-98765'))), /encrypted with another key.*COLLOQUY_SECRET_KEY/);
  await assert.rejects(sealStoredSecrets(db, new SecretBox(null)), /no key is configured/);
});
