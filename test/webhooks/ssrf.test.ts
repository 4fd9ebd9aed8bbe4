// SSRF: without COLLOQUY_WEBHOOKS_ALLOW_PRIVATE, registration refuses anything but https:// to
// public addresses, and the worker's dispatcher checks again at every attempt (DNS may change).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { enqueueEvents } from '../../src/domain/webhooks/outbox.js';
import { WebhooksService } from '../../src/domain/webhooks/service.js';
import { runWebhookWorker } from '../../src/domain/webhooks/starter.js';
import type { LookupFn } from '../../src/integrations/net/ssrf.js';
import { startReceiver, waitFor } from './helpers.js';

let t: TestApp;
before(async () => {
  // One attempt only, so a blocked delivery settles as failed at once.
  t = await startTestApp({ env: { COLLOQUY_WEBHOOK_RETRY_SCHEDULE: '0' } });
});
after(async () => {
  await t.close();
});

const REFUSED: Array<[string, RegExp]> = [
  ['https://127.0.0.1/hook', /loopback/],
  ['https://127.8.9.10/', /loopback/],
  ['https://[::1]/hook', /loopback/],
  ['https://10.1.2.3/', /private/],
  ['https://172.16.0.1/', /private/],
  ['https://172.31.255.254/', /private/],
  ['https://192.168.1.20/', /private/],
  ['https://100.64.0.1/', /private/],
  ['https://[fc00::1]/', /private/],
  ['https://[fd12:3456:789a::1]/', /private/],
  ['https://169.254.169.254/latest/meta-data/', /link-local/],
  ['https://169.254.1.1/', /link-local/],
  ['https://[fe80::1]/', /link-local/],
  ['https://0.0.0.0/', /unspecified/],
  ['https://[::]/', /unspecified/],
  ['https://224.0.0.251/', /multicast/],
  ['https://[ff02::1]/', /multicast/],
  ['https://255.255.255.255/', /broadcast/],
  ['https://[::ffff:127.0.0.1]/', /loopback address 127\.0\.0\.1 embedded/],
  ['https://[::ffff:a00:1]/', /private address 10\.0\.0\.1 embedded/],
  ['https://2130706433/', /loopback address 127\.0\.0\.1/],
  ['https://0x7f.1/', /loopback address 127\.0\.0\.1/],
  ['https://localhost/hook', /localhost is a loopback host/],
  ['https://LOCALHOST./hook', /loopback host/],
  ['https://api.localhost/hook', /loopback host/],
  ['http://8.8.8.8/hook', /only https:\/\/ URLs are allowed/],
  ['https://user:secret@8.8.8.8/hook', /credentials/],
  ['javascript:alert(1)', /only https/],
];

test('registration refuses every private, loopback, link-local and non-https destination', async () => {
  const u = await t.user('professional');
  for (const [url, reason] of REFUSED) {
    const res = await t.request('POST', '/api/v1/webhooks', { key: u.key, body: { url, events: ['conversation.created'] } });
    assert.equal(res.status, 400, `${url} → ${res.status} ${res.text}`);
    assert.equal(res.body.error.code, 'validation_error');
    assert.match(res.body.error.details?.url ?? '', reason, url);
  }
  assert.deepEqual((await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data, [], 'nothing was stored');

  // A public address is accepted (registration makes no request to it).
  const ok = await t.request('POST', '/api/v1/webhooks', { key: u.key, body: { url: 'https://8.8.8.8/hook', events: ['conversation.created'] } });
  assert.equal(ok.status, 201, ok.text);
  await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: { id: ok.body.data.id } });
});

test('a host name is judged by every address it resolves to', async () => {
  const dns: Record<string, Array<{ address: string; family: number }>> = {
    'hooks.internal.example': [{ address: '10.0.0.7', family: 4 }],
    'mixed.example': [
      { address: '8.8.8.8', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
    'v6.example': [{ address: 'fd00::1', family: 6 }],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
    'public.example': [{ address: '8.8.4.4', family: 4 }],
  };
  const lookup: LookupFn = async (host) => {
    const answer = dns[host];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answer;
  };
  const service = new WebhooksService({ db: t.container.db, newId: t.container.newId, allowPrivate: false, lookup });
  const u = await t.user('professional');
  const caller = { userId: u.userId, tier: 'professional', limits: { maxWebhooks: 3 } };
  const refused: Array<[string, RegExp]> = [
    ['https://hooks.internal.example/x', /hooks\.internal\.example resolves to a private address 10\.0\.0\.7/],
    ['https://mixed.example/x', /resolves to a loopback address 127\.0\.0\.1/],
    ['https://v6.example/x', /private address fd00::1/],
    ['https://metadata.example/x', /link-local address 169\.254\.169\.254/],
    ['https://nowhere.example/x', /could not be resolved/],
  ];
  for (const [url, reason] of refused) {
    await assert.rejects(service.create(caller, { url, events: ['conversation.created'] }), (err: any) => {
      assert.equal(err.code, 'validation_error');
      assert.match(err.details.url, reason);
      return true;
    });
  }
  const ok = await service.create(caller, { url: 'https://public.example/x', events: ['conversation.created'] });
  assert.equal(ok.url, 'https://public.example/x');
});

test('the worker re-checks at every attempt: a name that now resolves to loopback is never contacted', async () => {
  const receiver = await startReceiver();
  const port = new URL(receiver.base).port;
  let answer = '8.8.8.8';
  const lookup: LookupFn = async () => [{ address: answer, family: 4 }];
  const service = new WebhooksService({ db: t.container.db, newId: t.container.newId, allowPrivate: false, lookup });
  const u = await t.user('professional');
  const hook = await service.create({ userId: u.userId, tier: 'professional', limits: { maxWebhooks: 3 } }, { url: `https://rebind.example:${port}/hook`, events: ['conversation.created'] });
  // A row that never went through registration (an old row, a manual insert) is caught as well.
  await t.container.db
    .insertInto('webhooks')
    .values({ id: 'wh_literal', user_id: u.userId, url: `https://127.0.0.1:${port}/hook`, events: JSON.stringify(['conversation.created']), secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
    .execute();

  answer = '127.0.0.1'; // DNS rebinding after registration
  const worker = await runWebhookWorker(t.container, { listenUrl: t.databaseUrl, lookup });
  try {
    await enqueueEvents(t.container.db, t.container.newId, u.userId, [{ event: 'conversation.created', data: { conversationId: 'sess_ssrf' } }]);
    const rows = await waitFor(async () => {
      const r = await t.container.db.selectFrom('webhook_deliveries').selectAll().where('user_id', '=', u.userId).execute();
      return r.length === 2 && r.every((d) => d.status === 'failed') && r;
    }, 'both deliveries to fail');
    const byHook = new Map(rows.map((r) => [r.webhook_id, r]));
    assert.match(byHook.get(hook.id)!.last_error ?? '', /^blocked: rebind\.example resolves to a loopback address 127\.0\.0\.1/);
    assert.match(byHook.get('wh_literal')!.last_error ?? '', /^blocked: loopback address 127\.0\.0\.1/);
    assert.ok(rows.every((r) => r.response_code === null && r.attempts === 1));
    assert.equal(receiver.received.length, 0, 'no connection reached the receiver');
  } finally {
    await worker.stop();
    await receiver.stop();
  }
});
