// Share tokens are the only credential of a share page and travel in its path: the request log
// (info level, as a server runs by default) must not carry them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/server.js';
import { startTestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

test(`[${dbLabel}] a share page's token never reaches the request log`, async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const options = loggerOptions(loadConfig({ LOG_LEVEL: 'info', COLLOQUY_CONFIG_FILE: '' }));
  assert.ok(options && typeof options === 'object');
  const t = await startTestApp({ logger: { ...options, stream } });
  try {
    const u = await t.user('professional');
    const created = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Standup', content: 'User: hello\nAssistant: hi' } });
    assert.equal(created.status, 200, created.text);
    const shared = await t.request('POST', `/api/v1/conversations/${created.body.data.id}/share`, { key: u.key });
    assert.ok(shared.status === 200 || shared.status === 201, shared.text);
    const token = new URL(shared.body.data.shareUrl).pathname.split('/').at(-1)!;
    assert.match(token, /^[0-9A-Za-z]{20,}$/);

    const page = await t.request('GET', `/shared/${token}?utm=x`);
    assert.equal(page.status, 200);
    // Another token: the last character changed (to one it is not, so the page cannot exist).
    const guessed = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    const missing = await t.request('GET', `/shared/${guessed}`);
    assert.equal(missing.status, 404);

    const log = lines.join('');
    // The requests were logged (so the check below is about redaction, not silence)...
    const shareLines = lines.map((l) => JSON.parse(l)).filter((e) => typeof e.req?.url === 'string' && e.req.url.startsWith('/shared/'));
    assert.equal(shareLines.length, 2, log);
    assert.deepEqual(shareLines.map((e) => e.req.url), ['/shared/[redacted]?utm=x', '/shared/[redacted]']);
    // ...and no line holds the token, nor the token of the missing page.
    assert.ok(!log.includes(token), 'the share token is not in the log');
    assert.ok(!log.includes(token.slice(0, -1)), 'nor is a guessed token');
    assert.ok(!log.includes(u.key), 'nor the API key');
  } finally {
    await t.close();
  }
});
