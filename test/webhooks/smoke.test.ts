import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, register, waitFor } from './helpers.js';

test('smoke', async () => {
  const h = await startHarness();
  try {
    const u = await h.t.user('professional');
    const hook = await register(h.t, u.key, h.receiver.url('/a'), ['conversation.created', 'transcript.ready', 'conversation.updated']);
    const c = await h.t.request('POST', '/api/v1/conversations', { key: u.key, body: { content: 'Alice: hi\nBob: hello' } });
    assert.equal(c.status, 200, c.text);
    await waitFor(() => h.receiver.received.length >= 2, 'two events');
    console.log(h.receiver.received.map((r) => [r.json.event, r.headers['webhook-id'], r.text]));
    const d = await h.t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: u.key });
    console.log(JSON.stringify(d.body, null, 1));
  } finally {
    await h.close();
  }
});
