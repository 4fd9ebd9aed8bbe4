// Share links: POST/DELETE /api/v1/conversations/{id}/share and the public page GET /shared/{token}.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

const PUBLIC = 'https://colloquy.example';
const TOKEN_URL = new RegExp(`^${PUBLIC.replace(/\./g, '\\.')}/shared/([0-9A-Za-z]{32})$`);

function data<T = any>(res: TestResponse, status = 200): T {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.body.data as T;
}

/** Create answers 200 (Convo's documented status); 201 would be as good. */
function created(res: TestResponse): any {
  assert.ok(res.status === 200 || res.status === 201, `create failed: ${res.status} ${res.text.slice(0, 400)}`);
  return res.body.data;
}

function errorCode(res: TestResponse, status: number, code: string) {
  assert.equal(res.status, status, res.text.slice(0, 400));
  assert.equal(res.body?.error?.code, code);
}

function tokenOf(shareUrl: string): string {
  const m = TOKEN_URL.exec(shareUrl);
  assert.ok(m, `share URL shape: ${shareUrl}`);
  return m[1];
}

function assertPageHeaders(res: TestResponse) {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  assert.match(res.headers.get('x-robots-tag') ?? '', /noindex/);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src|unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(res.text, /<meta name="robots" content="noindex, nofollow">/);
  assert.match(res.text, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.doesNotMatch(res.text, /<script/i);
}

describe(`share links (${dbLabel})`, () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['user']>>;
  let other: Awaited<ReturnType<TestApp['user']>>;
  let convId: string;

  const share = (id: string, key = owner.key) => t.request('POST', `/api/v1/conversations/${id}/share`, { key });
  const unshare = (id: string, key = owner.key) => t.request('DELETE', `/api/v1/conversations/${id}/share`, { key });
  const page = (token: string) => t.request('GET', `/shared/${token}`);

  before(async () => {
    t = await startTestApp({ env: { COLLOQUY_PUBLIC_URL: PUBLIC } });
    owner = await t.user('professional');
    other = await t.user('professional');
    const res = await t.request('POST', '/api/v1/conversations', {
      key: owner.key,
      body: {
        title: 'Q1 review <script>alert("t")</script> & "friends"',
        startTime: '2026-03-18T14:00:00.000Z',
        endTime: '2026-03-18T14:47:00.000Z',
        companyName: 'Hidden Holdings Ltd',
        promptId: 'prompt_hidden_77',
        llmModel: 'model-hidden-9',
        metadata: { crmId: 'CRM-SECRET-4242', internal: 'do-not-publish' },
        segments: [
          { speaker: 'Alice Chen', text: 'Welcome everyone. Revenue is up 15% this quarter.', timestamp: '2026-03-18T14:00:05.000Z' },
          { speaker: 'Bob <b>Martínez</b>', text: 'Try this: <img src=x onerror=alert(1)> and </p><script>steal()</script>', timestamp: '2026-03-18T14:01:30.000Z' },
          { speaker: 'Sarah', text: "Let's ship on Friday.\nSecond line & 'quotes'.", timestamp: '2026-03-18T15:02:03.000Z' },
        ],
      },
    });
    convId = created(res).id;
    // Key points as an engine would have stored them, with markup to escape.
    await t.container.db
      .insertInto('analyses')
      .values({
        conversation_id: convId,
        kind: 'keypoints',
        engine: 'local',
        result: JSON.stringify({
          title: 'Q1 review',
          sections: [{ heading: 'Revenue <em>trend</em>', points: ['Revenue up 15%', 'Enterprise grew fastest'], pointDetails: [] }],
          decisions: ['Ship on Friday'],
          decisionDetails: [],
          actionItems: [
            { item: 'Send the roadmap', owner: 'Sarah', confidence: 0.9, priority: 'high', evidence: [{ segmentIndex: 2, quote: 'ship' }] },
            { item: 'Book the venue', owner: null, confidence: 0.6, priority: 'low', evidence: [] },
          ],
          participants: ['Alice Chen', 'Sarah'],
          importantDates: [],
        }),
      })
      .execute();
  });
  after(async () => {
    await t?.close();
  });

  test('share returns a public URL with a 32-character token, and the page needs no key', async () => {
    const d = data(await share(convId));
    assert.deepEqual(Object.keys(d).sort(), ['id', 'shareUrl']);
    assert.equal(d.id, convId);
    const token = tokenOf(d.shareUrl);

    const res = await page(token);
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    // The conversation object reports the link too.
    assert.equal(data(await t.request('GET', `/api/v1/conversations/${convId}`, { key: owner.key })).shareUrl, d.shareUrl);
    // A bogus Authorization header changes nothing: the page is outside the authenticated API.
    const withJunkKey = await t.request('GET', `/shared/${token}`, { headers: { authorization: 'Bearer nonsense' } });
    assert.equal(withJunkKey.status, 200);
  });

  test('the page shows title, date, duration, key points and the transcript, all escaped', async () => {
    const token = tokenOf(data(await share(convId)).shareUrl);
    const html = (await page(token)).text;
    assert.ok(html.includes('<title>Q1 review &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;friends&quot;</title>'));
    assert.ok(html.includes('<h1>Q1 review &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;friends&quot;</h1>'));
    assert.ok(html.includes('<time datetime="2026-03-18T14:00:00.000Z">18 March 2026 at 14:00 UTC</time>'), 'start date');
    assert.ok(html.includes('47 min'), 'duration');
    // Key points: sections, decisions, action items with owners.
    assert.ok(html.includes('<h3>Revenue &lt;em&gt;trend&lt;/em&gt;</h3>'));
    assert.ok(html.includes('<li>Revenue up 15%</li>') && html.includes('<li>Enterprise grew fastest</li>'));
    assert.ok(html.includes('<h3>Decisions</h3>') && html.includes('<li>Ship on Friday</li>'));
    assert.ok(html.includes('<li>Send the roadmap <span class="owner">— Sarah</span></li>'));
    assert.ok(html.includes('<li>Book the venue</li>'));
    // Transcript: one element per segment with a stable anchor, speaker, offset and text.
    assert.ok(html.includes('<li id="seg-0"><p class="who"><span class="speaker">Alice Chen</span> <time datetime="2026-03-18T14:00:05.000Z">0:05</time></p>'));
    assert.ok(html.includes('<span class="speaker">Bob &lt;b&gt;Martínez&lt;/b&gt;</span> <time datetime="2026-03-18T14:01:30.000Z">1:30</time>'));
    assert.ok(html.includes('Try this: &lt;img src=x onerror=alert(1)&gt; and &lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;'));
    assert.ok(html.includes('<li id="seg-2">') && html.includes('1:02:03'));
    assert.ok(html.includes("Let&#39;s ship on Friday.\nSecond line &amp; &#39;quotes&#39;."));
    assert.ok(!html.includes('id="seg-3"'));
    // No live markup from user content anywhere.
    assert.doesNotMatch(html, /<script|<img|<b>|<em>/i);
  });

  test('the page exposes nothing else: no ids, metadata, account details or evidence', async () => {
    const token = tokenOf(data(await share(convId)).shareUrl);
    const res = await page(token);
    // The negative checks below would pass on an error page too: make sure this is the real page.
    assert.equal(res.status, 200);
    const html = res.text;
    assert.ok(html.includes('<h1>Q1 review &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;friends&quot;</h1>'), 'the title heading');
    assert.ok(html.includes('<li>Revenue up 15%</li>') && html.includes('<li id="seg-0">'), 'key points and transcript are there');
    for (const secret of [convId, owner.userId, owner.email, owner.keyId, 'CRM-SECRET-4242', 'do-not-publish', 'Hidden Holdings', 'prompt_hidden_77', 'model-hidden-9', 'segmentIndex', 'confidence', 'high']) {
      assert.ok(!html.includes(secret), `page leaks ${secret}`);
    }
    assert.doesNotMatch(html, /\bsess_|\busr_|\bkey_|\bconvo_/);
    assert.doesNotMatch(html, /https?:\/\//, 'no links or external resources');
  });

  test('the inline stylesheet is the one the Content-Security-Policy allows', async () => {
    const res = await page(tokenOf(data(await share(convId)).shareUrl));
    const css = /<style>([\s\S]*?)<\/style>/.exec(res.text)?.[1];
    assert.ok(css);
    const hash = createHash('sha256').update(css).digest('base64');
    assert.ok((res.headers.get('content-security-policy') ?? '').includes(`style-src 'sha256-${hash}'`));
  });

  test('sharing again returns the current link; revoke makes it 404; sharing after that issues a new token', async () => {
    const first = data(await share(convId)).shareUrl;
    assert.equal(data(await share(convId)).shareUrl, first, 'already shared: same URL');

    assert.deepEqual(data(await unshare(convId)), { id: convId, shared: false });
    const gone = await page(tokenOf(first));
    assert.equal(gone.status, 404);
    assertPageHeaders(gone);
    assert.match(gone.text, /not available/);
    assert.equal(data(await t.request('GET', `/api/v1/conversations/${convId}`, { key: owner.key })).shareUrl, null);
    // Revoking twice is harmless.
    assert.deepEqual(data(await unshare(convId)), { id: convId, shared: false });

    const second = data(await share(convId)).shareUrl;
    assert.notEqual(tokenOf(second), tokenOf(first));
    assert.equal((await page(tokenOf(first))).status, 404, 'the old link stays dead');
    assert.equal((await page(tokenOf(second))).status, 200);
  });

  test("another user's conversation is 404 for share and revoke, and its link is untouched", async () => {
    const url = data(await share(convId)).shareUrl;
    errorCode(await share(convId, other.key), 404, 'not_found');
    errorCode(await unshare(convId, other.key), 404, 'not_found');
    errorCode(await share('sess_doesnotexist000000000'), 404, 'not_found');
    assert.equal((await page(tokenOf(url))).status, 200);
  });

  test('without a key the share endpoints are 401', async () => {
    errorCode(await t.request('POST', `/api/v1/conversations/${convId}/share`), 401, 'unauthorized');
    errorCode(await t.request('DELETE', `/api/v1/conversations/${convId}/share`), 401, 'unauthorized');
  });

  test('unknown and malformed tokens get the 404 page', async () => {
    for (const token of ['A'.repeat(32), 'abc', '..%2F..%2Fetc%2Fpasswd', `${'x'.repeat(31)}%20`, "a'or'1'='1", 'é'.repeat(32)]) {
      const res = await page(token);
      assert.equal(res.status, 404, token);
      assertPageHeaders(res);
    }
  });

  test("a deleted conversation's page is 404", async () => {
    const c = created(await t.request('POST', '/api/v1/conversations', { key: owner.key, body: { title: 'Short-lived', segments: [{ speaker: 'A', text: 'Hello' }] } }));
    const token = tokenOf(data(await share(c.id)).shareUrl);
    assert.equal((await page(token)).status, 200);
    data(await t.request('DELETE', `/api/v1/conversations/${c.id}`, { key: owner.key }));
    assert.equal((await page(token)).status, 404);
  });

  test('delete revokes the share link: restoring the conversation does not revive it', async () => {
    const c = created(await t.request('POST', '/api/v1/conversations', { key: owner.key, body: { title: 'Deleted then restored', segments: [{ speaker: 'A', text: 'Hello' }] } }));
    const token = tokenOf(data(await share(c.id)).shareUrl);
    data(await t.request('DELETE', `/api/v1/conversations/${c.id}`, { key: owner.key }));
    const restored = data(await t.request('POST', `/api/v1/conversations/${c.id}/restore`, { key: owner.key }));
    assert.equal(restored.id, c.id);
    assert.equal(restored.shareUrl, null);
    assert.equal((await page(token)).status, 404, 'the old link stays dead after restore');
    const again = data(await share(c.id)).shareUrl;
    assert.notEqual(tokenOf(again), token);
    assert.equal((await page(tokenOf(again))).status, 200);
  });

  test('a conversation without key points or timestamps still renders', async () => {
    const c = created(
      await t.request('POST', '/api/v1/conversations', {
        key: owner.key,
        body: { kind: 'meeting', segments: [{ speaker: 'Dana', text: 'How do I reset my password?' }, { speaker: 'Lee', text: 'Use the link on the sign-in page.' }] },
      }),
    );
    const html = (await page(tokenOf(data(await share(c.id)).shareUrl))).text;
    assert.ok(!html.includes('Key points'));
    assert.ok(html.includes('<li id="seg-1"><p class="who"><span class="speaker">Lee</span></p><p class="text">Use the link on the sign-in page.</p></li>'));
  });

  test('conversation.shared is written to the outbox once per new link, in the same transaction', async () => {
    await t.container.db
      .insertInto('webhooks')
      .values({ id: 'wh_sharetest00000000001', user_id: owner.userId, url: 'http://127.0.0.1:9/hook', events: JSON.stringify(['conversation.shared']), secret: 'whsec_test' })
      .execute();
    const c = created(await t.request('POST', '/api/v1/conversations', { key: owner.key, body: { title: 'Outbox check', segments: [{ speaker: 'A', text: 'Hi' }] } }));
    const rows = () =>
      t.container.db.selectFrom('webhook_deliveries').selectAll().where('user_id', '=', owner.userId).where('event', '=', 'conversation.shared').orderBy('created_at').execute();
    const before = (await rows()).length;

    // Concurrent first shares agree on one link and write one event.
    const results = await Promise.all(Array.from({ length: 5 }, () => share(c.id)));
    const urls = new Set(results.map((r) => data(r).shareUrl));
    assert.equal(urls.size, 1);
    const [shareUrl] = [...urls];
    let all = await rows();
    assert.equal(all.length, before + 1);
    const row = all.at(-1)!;
    assert.equal(row.webhook_id, 'wh_sharetest00000000001');
    assert.equal(row.status, 'pending');
    const payload = JSON.parse(row.payload);
    assert.equal(payload.event, 'conversation.shared');
    assert.deepEqual(payload.data, { conversationId: c.id, shareUrl });

    // Revoke writes nothing; sharing again is a new link and a new event.
    data(await unshare(c.id));
    assert.equal((await rows()).length, before + 1);
    const again = data(await share(c.id)).shareUrl;
    all = await rows();
    assert.equal(all.length, before + 2);
    assert.deepEqual(JSON.parse(all.at(-1)!.payload).data, { conversationId: c.id, shareUrl: again });
  });
});
