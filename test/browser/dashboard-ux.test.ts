// The dashboard as a new user meets it, in a real browser against the real server: a Starter user
// browsing far past the plan's hourly API quota, sign-out, confirmations, the trash, and a revoked
// key in use. Screenshots (desktop and phone) land in test-results/browser/ux-*.png.
//
// One server and one browser for the whole file; the tests run in order on one signed-in page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { FIXTURES, browserUnavailable, ensureDashboardBuilt, isCI, launch, screenshot, seriousA11yViolations } from './support.js';

declare const document: any;

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = '';
let keyId = '';
const ids: Record<string, string> = {};
const pageErrors: string[] = [];
const a11y = new Map<string, string[]>();

const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

async function checkA11y(p: Page, name: string) {
  a11y.set(name, await seriousA11yViolations(p));
}

/** Remaining requests of the API key's hourly quota, read with the key itself (which counts one). */
async function apiRemaining(): Promise<number> {
  const r = await t.request('GET', '/api/v1/user/profile', { key });
  assert.equal(r.status, 200, r.text);
  return Number(r.headers.get('x-ratelimit-remaining'));
}

async function importFixture(name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(FIXTURES, name))], { type: 'text/vtt' }), name);
  const r = await t.request('POST', '/api/v1/conversations/import', { key, raw: form });
  assert.equal(r.status, 201, r.text);
  return r.body.data.id;
}

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  t = await startTestApp();
  ({ key, keyId } = await t.user('starter'));
  ids.zoom = await importFixture('zoom-roadmap.vtt');
  ids.teams = await importFixture('teams-incident-review.vtt');
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(WAIT);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function signInThroughForm() {
  await page.goto(t.url + '/');
  await byTestId(page, 'api-key-input').fill(key);
  await byTestId(page, 'sign-in-button').click();
  await byTestId(page, 'conversation-list').waitFor();
}

test(`[${dbLabel}] a Starter user browsing far past the hourly API quota is never locked out, and the quota is untouched`, { skip }, async () => {
  const before = await apiRemaining();
  await signInThroughForm();
  let dashboardRequests = 0;
  const count = (r: { url(): string }) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) dashboardRequests++;
  };
  page.on('request', count);
  const views: [string, string][] = [
    ['nav-conversations', 'conversation-list'],
    ['nav-action-items', 'action-items-empty'],
    ['nav-settings', 'usage-tier'],
  ];
  // Starter allows 100 API requests an hour; browse until the dashboard has made well over that.
  for (let round = 0; dashboardRequests < 160; round++) {
    assert.ok(round < 100, `only ${dashboardRequests} requests after 100 rounds`);
    for (const [nav, ready] of views) {
      await byTestId(page, nav).click();
      await byTestId(page, ready).first().waitFor();
    }
    await page.goto(`${t.url}/conversations/${ids.zoom}`);
    await byTestId(page, 'conversation-page').waitFor();
  }
  page.off('request', count);
  assert.equal(await page.locator('[data-error-code="rate_limited"]').count(), 0, 'no rate-limit error anywhere');
  assert.equal(await apiRemaining(), before - 1, `the API quota counted only this check, not the dashboard's ${dashboardRequests} requests`);
  await page.goto(`${t.url}/settings`);
  const usage = (await byTestId(page, 'usage-rate-limit').innerText()).replace(/\s+/g, ' ');
  assert.match(usage, new RegExp(`${before - 1} of 100 left`), `Settings shows the API quota: ${usage}`);
  assert.match(usage, /Browsing this dashboard does not count here/);
  await screenshot(page, 'ux-01-settings-usage-after-browsing');
});

test(`[${dbLabel}] sign-out ends the session: the cookies are gone and the pages ask for a key`, { skip }, async () => {
  await page.goto(t.url + '/conversations');
  await byTestId(page, 'sign-out-button').click();
  await byTestId(page, 'api-key-input').waitFor();
  const deadline = Date.now() + WAIT;
  while ((await context.cookies(t.url + '/api/v1/conversations')).some((c) => c.name === 'colloquy_session')) {
    assert.ok(Date.now() < deadline, 'the session cookie is still there');
    await page.waitForTimeout(50);
  }
  await page.goto(t.url + '/conversations');
  await byTestId(page, 'api-key-input').waitFor();
  assert.equal(await page.evaluate(() => document.cookie.includes('colloquy_csrf=')), false);
  await signInThroughForm();
});

test(`[${dbLabel}] the trash: a deleted conversation is listed and restored; Restore only for conversations that exist`, { skip }, async () => {
  await page.goto(`${t.url}/conversations/${ids.teams}`);
  await byTestId(page, 'delete-button').click();
  await byTestId(page, 'delete-confirm').click();
  await byTestId(page, 'restore-button').waitFor();

  // Its address now says it is in the trash, with Restore.
  await page.goto(`${t.url}/conversations/${ids.teams}`);
  await byTestId(page, 'conversation-in-trash').waitFor();
  assert.equal(await byTestId(page, 'restore-button').count(), 1);
  // An id that never existed: no Restore.
  await page.goto(`${t.url}/conversations/sess_neverexisted000000`);
  await byTestId(page, 'conversation-not-found').waitFor();
  assert.equal(await byTestId(page, 'restore-button').count(), 0, 'no Restore for an id that does not exist');
  await screenshot(page, 'ux-02-not-found-without-restore');

  await page.goto(`${t.url}/conversations`);
  await byTestId(page, 'trash-link').click();
  await byTestId(page, `trash-row-${ids.teams}`).waitFor();
  assert.equal(await page.locator('[data-testid^="trash-row-"]').count(), 1);
  await screenshot(page, 'ux-03-trash');
  await checkA11y(page, 'trash');
  await byTestId(page, `trash-restore-${ids.teams}`).click();
  await byTestId(page, 'trash-restored').waitFor();
  assert.equal(await byTestId(page, `trash-row-${ids.teams}`).count(), 0);
  assert.equal((await t.request('GET', `/api/v1/conversations/${ids.teams}`, { key })).status, 200, 'restored');
});

test(`[${dbLabel}] revoking the key in use warns that it signs you out, and does`, { skip }, async () => {
  await page.goto(`${t.url}/settings`);
  await byTestId(page, `key-revoke-${keyId}`).click();
  const question = byTestId(page, `key-revoke-${keyId}-question`);
  assert.match(await question.innerText(), /This is the key this browser signed in with/);
  assert.equal(await byTestId(page, `key-revoke-${keyId}-confirm`).innerText(), 'Revoke and sign out');
  await screenshot(page, 'ux-04-revoke-key-in-use');
  await checkA11y(page, 'settings: revoke question');
  await byTestId(page, `key-revoke-${keyId}-cancel`).click();
  assert.equal((await t.request('GET', '/api/v1/keys', { key })).status, 200, 'Cancel revoked nothing');
  await byTestId(page, `key-revoke-${keyId}`).click();
  await byTestId(page, `key-revoke-${keyId}-confirm`).click();
  await byTestId(page, 'signed-out-notice').waitFor();
  assert.equal((await t.request('GET', '/api/v1/keys', { key })).status, 401, 'the key is revoked');
});

test(`[${dbLabel}] no serious or critical axe-core violations; no uncaught page errors`, { skip }, () => {
  const failures = [...a11y].filter(([, v]) => v.length > 0).map(([name, v]) => `${name}:\n  ${v.join('\n  ')}`);
  assert.equal(failures.length, 0, `axe-core found serious/critical violations:\n${failures.join('\n')}`);
  assert.deepEqual(pageErrors, []);
});
