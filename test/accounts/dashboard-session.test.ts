// The dashboard's session: exchanged for an API key, carried by an HttpOnly SameSite=Strict cookie,
// counted in its own hourly bucket (never the plan's API quota), and refusing changes that do not
// echo its CSRF token. Real server, real HTTP, real database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, meetingBody, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

const DASHBOARD_LIMIT = 260;

function cookiesOf(res: { headers: Headers }): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) out.set(c.slice(0, c.indexOf('=')), c);
  return out;
}

function valueOf(setCookie: string): string {
  return setCookie.slice(setCookie.indexOf('=') + 1).split(';')[0];
}

describe(`dashboard sessions (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { COLLOQUY_DASHBOARD_REQUESTS_PER_HOUR: String(DASHBOARD_LIMIT) } });
  });
  after(async () => t.close());

  async function signIn(key: string) {
    const res = await t.request('POST', '/api/v1/dashboard/session', { key });
    assert.equal(res.status, 201, res.text);
    const cookies = cookiesOf(res);
    const session = valueOf(cookies.get('colloquy_session')!);
    const csrf = valueOf(cookies.get('colloquy_csrf')!);
    assert.equal(res.body.data.csrfToken, csrf);
    return { res, cookies, csrf, cookie: `colloquy_session=${session}; colloquy_csrf=${csrf}` };
  }

  test('the cookies: session HttpOnly, SameSite=Strict, API paths only; CSRF readable, SameSite=Strict', async () => {
    const { key } = await t.user('starter');
    const { cookies, res } = await signIn(key);
    const session = cookies.get('colloquy_session')!;
    const csrf = cookies.get('colloquy_csrf')!;
    assert.match(session, /; HttpOnly(;|$)/);
    assert.match(session, /; SameSite=Strict(;|$)/);
    assert.match(session, /; Path=\/api\/(;|$)/);
    assert.match(session, /; Max-Age=[1-9]\d*(;|$)/);
    assert.match(valueOf(session), /^[0-9A-Za-z]{43}$/);
    assert.doesNotMatch(csrf, /HttpOnly/);
    assert.match(csrf, /; SameSite=Strict(;|$)/);
    assert.match(csrf, /; Path=\/(;|$)/);
    assert.notEqual(valueOf(session), valueOf(csrf));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    // Plain HTTP here: a Secure cookie would never come back.
    assert.doesNotMatch(session, /Secure/);
  });

  test('a Starter user browsing far beyond the API quota through the session is never locked out; the API quota is untouched', async () => {
    const { key, userId } = await t.user('starter');
    const created = await t.request('POST', '/api/v1/conversations', { key, body: meetingBody(3) });
    assert.equal(created.status, 200, created.text);
    const before = await t.request('GET', '/api/v1/user/profile', { key });
    const apiRemaining = Number(before.headers.get('x-ratelimit-remaining'));
    assert.equal(apiRemaining, 100 - 2);
    const { cookie } = await signIn(key);
    const id = created.body.data.id;
    const pages = ['/api/v1/conversations', `/api/v1/conversations/${id}`, `/api/v1/conversations/${id}/transcript`, '/api/v1/user/profile', '/api/v1/action-items'];
    // 2.5 times the plan's hourly quota, five requests at a time as a page would make them.
    for (let i = 0; i < 250; i += 5) {
      const batch = await Promise.all(pages.map((p) => t.request('GET', p, { headers: { cookie } })));
      for (const r of batch) assert.equal(r.status, 200, `request ${i}: ${r.text}`);
      assert.equal(batch[0].headers.get('x-ratelimit-limit'), String(DASHBOARD_LIMIT), 'session requests show the dashboard limit');
    }
    const profile = await t.request('GET', '/api/v1/user/profile', { key });
    assert.equal(profile.status, 200);
    assert.equal(Number(profile.headers.get('x-ratelimit-remaining')), apiRemaining - 1, 'only the key request itself counted');
    assert.equal(profile.body.data.apiUsage.rateLimit.remaining, apiRemaining - 1);
    // The dashboard's own limit does exist, and says how long to wait in minutes.
    const res = await Promise.all(Array.from({ length: 12 }, () => t.request('GET', '/api/v1/user/profile', { headers: { cookie } })));
    const limited = res.find((r) => r.status === 429);
    assert.ok(limited, `the dashboard limit of ${DASHBOARD_LIMIT} applies (${userId})`);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.match(limited.body.error.message, /retry in \d+ (minute|minutes|hour)$/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // …and still leaves the API key alone.
    assert.equal((await t.request('GET', '/api/v1/user/profile', { key })).status, 200);
  });

  test('a change without the CSRF token (as a cross-site request would send it) is refused and changes nothing', async () => {
    const { key } = await t.user('starter');
    const { cookie, csrf } = await signIn(key);
    const list = async () => (await t.request('GET', '/api/v1/conversations', { headers: { cookie } })).body.data.length;
    const before = await list();
    const body = meetingBody(2);
    const noToken = await t.request('POST', '/api/v1/conversations', { body, headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(noToken.status, 403, noToken.text);
    assert.equal(noToken.body.error.code, 'forbidden');
    assert.match(noToken.body.error.message, /CSRF/);
    const wrong = await t.request('POST', '/api/v1/conversations', { body, headers: { cookie, 'x-csrf-token': csrf.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) } });
    assert.equal(wrong.status, 403);
    const crossSite = await t.request('POST', '/api/v1/conversations', { body, headers: { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403, 'a cross-site request is refused even with the token');
    assert.equal(await list(), before, 'nothing was created');
    const ok = await t.request('POST', '/api/v1/conversations', { body, headers: { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' } });
    assert.equal(ok.status, 200, ok.text);
    const del = await t.request('DELETE', `/api/v1/conversations/${ok.body.data.id}`, { headers: { cookie } });
    assert.equal(del.status, 403);
    assert.equal((await t.request('GET', `/api/v1/conversations/${ok.body.data.id}`, { headers: { cookie } })).status, 200, 'still there');
  });

  test('an Authorization header always decides (the API contract), and starting a session needs a live key of a paid plan', async () => {
    const { key } = await t.user('starter');
    const { cookie } = await signIn(key);
    const bad = await t.request('GET', '/api/v1/conversations', { key: 'convo_' + 'x'.repeat(32), headers: { cookie } });
    assert.equal(bad.status, 401);
    assert.equal((await t.request('POST', '/api/v1/dashboard/session', {})).status, 401);
    assert.equal((await t.request('POST', '/api/v1/dashboard/session', { key: 'convo_' + 'y'.repeat(32) })).status, 401);
    const free = await t.user('free');
    const refused = await t.request('POST', '/api/v1/dashboard/session', { key: free.key });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.getSetCookie().length, 0, 'no cookie for a refused sign-in');
    assert.equal((await t.request('GET', '/api/v1/conversations', { headers: { cookie: 'colloquy_session=nope' } })).status, 401);
  });

  test('sign-out needs the CSRF token, ends the session and clears both cookies; revoking the key ends its sessions', async () => {
    const { key, keyId } = await t.user('professional');
    const a = await signIn(key);
    const who = await t.request('GET', '/api/v1/dashboard/session', { headers: { cookie: a.cookie } });
    assert.equal(who.status, 200);
    assert.equal(who.body.data.keyId, keyId);
    assert.equal((await t.request('DELETE', '/api/v1/dashboard/session', { headers: { cookie: a.cookie } })).status, 403);
    assert.equal((await t.request('GET', '/api/v1/conversations', { headers: { cookie: a.cookie } })).status, 200, 'a refused sign-out leaves the session');
    const out = await t.request('DELETE', '/api/v1/dashboard/session', { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    assert.equal(out.status, 200);
    const cleared = cookiesOf(out);
    assert.match(cleared.get('colloquy_session')!, /^colloquy_session=; .*Max-Age=0/);
    assert.match(cleared.get('colloquy_csrf')!, /^colloquy_csrf=; .*Max-Age=0/);
    assert.equal((await t.request('GET', '/api/v1/conversations', { headers: { cookie: a.cookie } })).status, 401);

    const b = await signIn(key);
    const revoke = await t.request('DELETE', `/api/v1/keys/${keyId}`, { headers: { cookie: b.cookie, 'x-csrf-token': b.csrf } });
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal((await t.request('GET', '/api/v1/conversations', { headers: { cookie: b.cookie } })).status, 401);
  });
});
