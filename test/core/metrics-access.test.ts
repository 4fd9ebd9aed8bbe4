// Who may read /metrics: direct loopback clients always; anyone else only with COLLOQUY_METRICS_TOKEN.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { loadConfig, ConfigError } from '../../src/config.js';

const TOKEN = 'metrics-token-0123456789abcdef';

function get(t: TestApp, remoteAddress: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });
}

describe(`/metrics access (${dbLabel})`, () => {
  let open: TestApp;
  let guarded: TestApp;
  before(async () => {
    open = await startTestApp({ env: { COLLOQUY_TRUST_PROXY: 'true' } });
    guarded = await startTestApp({ env: { COLLOQUY_METRICS_TOKEN: TOKEN } });
  });
  after(async () => {
    await open?.close();
    await guarded?.close();
  });

  test('without a token: loopback reads it, any other address gets 403 with the envelope', async () => {
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await get(open, local);
      assert.equal(res.statusCode, 200, local);
      assert.match(res.payload, /colloquy_http_request_duration_seconds/);
    }
    for (const remote of ['203.0.113.9', '10.0.0.5', '::ffff:10.0.0.5', '2001:4860::1']) {
      const res = await get(open, remote);
      assert.equal(res.statusCode, 403, remote);
      assert.equal(res.json().error.code, 'forbidden');
      assert.doesNotMatch(res.payload, /colloquy_/);
    }
    // Over a real connection from 127.0.0.1 too.
    assert.equal((await open.request('GET', '/metrics')).status, 200);
  });

  test('a request relayed by a local reverse proxy, or claiming loopback in X-Forwarded-For, is not local', async () => {
    const relayed = await get(open, '127.0.0.1', { 'x-forwarded-for': '198.51.100.7' });
    assert.equal(relayed.statusCode, 403);
    const spoofed = await get(open, '203.0.113.9', { 'x-forwarded-for': '127.0.0.1' });
    assert.equal(spoofed.statusCode, 403);
  });

  test('with COLLOQUY_METRICS_TOKEN: the right Bearer token opens it from anywhere, a wrong or missing one is 401', async () => {
    const ok = await get(guarded, '203.0.113.9', { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.payload, /colloquy_process_cpu_user_seconds_total/);
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, 'Bearer ']) {
      const res = await get(guarded, '203.0.113.9', authorization === undefined ? {} : { authorization });
      assert.equal(res.statusCode, 401, String(authorization));
      assert.equal(res.json().error.code, 'unauthorized');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    }
    assert.equal((await get(guarded, '127.0.0.1')).statusCode, 200, 'loopback needs no token');
  });

  test('/docs and /healthz stay public', async () => {
    for (const path of ['/docs', '/docs/', '/healthz', '/api/v1/openapi.json']) {
      const res = await guarded.app.inject({ method: 'GET', url: path, remoteAddress: '203.0.113.9' });
      assert.ok(res.statusCode === 200 || res.statusCode === 302, `${path}: ${res.statusCode}`);
    }
  });

  test('a short metrics token is a configuration error', () => {
    assert.throws(() => loadConfig({ COLLOQUY_METRICS_TOKEN: 'short' }), ConfigError);
  });
});
