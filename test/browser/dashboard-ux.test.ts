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
import { startWorkers } from '../../src/workers.js';
import { FIXTURES, becomesFocused, browserUnavailable, ensureDashboardBuilt, horizontalOverflow, isCI, isScrolledIntoView, launch, screenshot, seriousA11yViolations, signInContext } from './support.js';

declare const document: any;
declare const window: any;

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let t: TestApp;
let stopWorkers: (() => Promise<void>) | undefined;
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
  // The server analyses new conversations automatically in its job worker.
  stopWorkers = await startWorkers(t.container);
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
  await stopWorkers?.();
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
    await byTestId(page, 'nav-conversations').click();
    await byTestId(page, `conversation-link-${ids.zoom}`).click();
    await page.locator('[data-testid="transcript"][data-segments="15"]').waitFor();
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

const SPEAKERS = ['Ada', 'Bea', 'Cai', 'Dov', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jon', 'Kit', 'Lou', 'Max'];
const MEETING_START = Date.parse('2026-03-18T14:00:00Z');

/** A meeting of `n` segments 10 s apart among `speakers`; every 10th segment mentions the budget. */
function meeting(n: number, speakers = SPEAKERS, title = `Committee ${n}`) {
  return {
    title,
    startTime: new Date(MEETING_START).toISOString(),
    segments: Array.from({ length: n }, (_, i) => ({
      speaker: speakers[i % speakers.length],
      text: i % 10 === 3 ? `Item ${i}: the budget needs another look before Friday.` : `Item ${i}: we went through point ${i} of the agenda and agreed the next step.`,
      timestamp: new Date(MEETING_START + i * 10_000).toISOString(),
    })),
  };
}

async function createMeeting(body: ReturnType<typeof meeting>): Promise<string> {
  const r = await t.request('POST', '/api/v1/conversations', { key, body });
  assert.equal(r.status, 200, r.text);
  return r.body.data.id;
}

/** Text of the rendered (virtualised) rows. */
const renderedSegments = (p: Page) =>
  p.locator('[data-testid^="segment-"][data-highlighted]').evaluateAll((els: any[]) =>
    els.map((e) => ({ index: Number(e.id.slice(4)), speaker: e.querySelector('.speaker')?.textContent ?? '', current: e.dataset.current === 'true' })),
  );

test(`[${dbLabel}] transcript: 13 speakers look distinct, the legend folds, talk time shows, times are elapsed with the clock on hover`, { skip }, async () => {
  ids.committee = await createMeeting(meeting(130));
  await page.goto(`${t.url}/conversations/${ids.committee}`);
  await page.locator('[data-testid="transcript"][data-segments="130"]').waitFor();
  const legend = byTestId(page, 'speaker-legend');
  assert.equal(await legend.evaluate((el: any) => el.open), false, 'more than 8 speakers: the legend starts folded');
  const folded = await legend.evaluate((el: any) => el.getBoundingClientRect().height);
  await legend.locator('summary').click();
  const items = await byTestId(page, 'speaker-legend-item').evaluateAll((els: any[]) => els.map((e) => `${e.dataset.color}/${e.dataset.pattern}`));
  assert.equal(items.length, 13);
  assert.equal(new Set(items).size, 13, `every speaker has its own colour and pattern: ${items.join(', ')}`);
  const talk = await byTestId(page, 'talk-time').allInnerTexts();
  const percents = talk.map((x) => Number(/(\d+)%/.exec(x)![1]));
  assert.ok(Math.abs(percents.reduce((a, b) => a + b, 0) - 100) <= 13, `talk time shares add up: ${talk.join(', ')}`);
  assert.match(talk[0], /^\d+:\d\d · \d+%$/, `elapsed talk time: ${talk[0]}`);
  await screenshot(page, 'ux-05-transcript-legend-open', { fullPage: false });
  await legend.locator('summary').click();
  assert.ok(folded < 40, `a folded legend is one line (${folded}px)`);

  const time = page.locator('[data-testid="segment-6"] [data-testid="segment-time"]');
  assert.equal(await time.innerText(), '1:00', 'elapsed from the start');
  assert.match((await time.getAttribute('title')) ?? '', /2:01:00\sPM|14:01:00/, 'the clock time on hover');
  await checkA11y(page, 'transcript');
});

test(`[${dbLabel}] transcript: search with next and previous, jump to a time, filter by speaker`, { skip }, async () => {
  const search = byTestId(page, 'transcript-search');
  await search.fill('budget');
  const count = byTestId(page, 'transcript-search-count');
  await page.waitForFunction(() => document.querySelector('[data-testid="transcript-search-count"]')?.textContent === '1 of 13');
  await byTestId(page, 'transcript-search-next').click();
  await page.locator('[data-testid="transcript-search-count"]', { hasText: '2 of 13' }).waitFor();
  const current = page.locator('[data-testid^="segment-"][data-current="true"]');
  await current.waitFor();
  assert.equal(await current.getAttribute('id'), 'seg-13', 'the second match is segment 13');
  assert.match(await current.locator('mark').innerText(), /^budget$/i);
  // Two quick presses step twice; previous wraps around.
  await search.press('Shift+Enter');
  await search.press('Shift+Enter');
  await page.locator('[data-testid="transcript-search-count"]', { hasText: '13 of 13' }).waitFor();
  assert.equal(await count.innerText(), '13 of 13');
  await page.locator('#seg-123[data-current="true"]').waitFor();
  // Focus stays in the search box, so the next Enter steps again (it used to move to the match two
  // frames later, and a quick second press could land on the segment and be lost).
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'transcript-search', 'focus stays in the search box');
  await search.press('Enter');
  await page.locator('[data-testid="transcript-search-count"]', { hasText: '1 of 13' }).waitFor();
  await screenshot(page, 'ux-06-transcript-search', { fullPage: false });
  await search.fill('');

  await byTestId(page, 'transcript-time').fill('soon');
  await byTestId(page, 'transcript-time-go').click();
  await page.locator('#transcript-time-error').waitFor();
  await byTestId(page, 'transcript-time').fill('12:30');
  await byTestId(page, 'transcript-time-go').click();
  await page.locator('#seg-75[data-current="true"]').waitFor();
  assert.equal(await page.locator('#transcript-time-error').count(), 0);

  await byTestId(page, 'transcript-speaker').selectOption('Cai');
  await page.locator('[data-testid="transcript"][data-segments="10"]').waitFor();
  const rows = await renderedSegments(page);
  assert.ok(rows.length > 0 && rows.every((r) => r.speaker === 'Cai'), `only Cai: ${JSON.stringify(rows.slice(0, 3))}`);
  await byTestId(page, 'transcript-speaker').selectOption('');
  await page.locator('[data-testid="transcript"][data-segments="130"]').waitFor();
});

test(`[${dbLabel}] a 10,000-segment meeting: a bounded number of rows in the DOM, scrolls anywhere, interactive within a bounded ratio of a 100-segment one`, { skip }, async () => {
  ids.huge = await createMeeting(meeting(10_000, SPEAKERS, 'Huge'));
  ids.small = await createMeeting(meeting(100, SPEAKERS, 'Small'));
  // Milliseconds from navigation to the first moment the page answers input after the transcript's
  // first segment appeared (a task queued behind the render runs).
  await page.addInitScript(() => {
    const w = window as any;
    new (w.MutationObserver)(function (this: any) {
      if (w.__interactiveAt !== undefined || !document.querySelector('[data-testid="segment-0"]')) return;
      w.__interactiveAt = null;
      w.requestAnimationFrame(() => w.setTimeout(() => (w.__interactiveAt = w.performance.now()), 0));
    }).observe(document, { childList: true, subtree: true });
  });
  const load = async (id: string): Promise<number> => {
    await page.goto(`${t.url}/conversations/${id}`);
    await page.waitForFunction(() => typeof (window as any).__interactiveAt === 'number', undefined, { timeout: 60_000 });
    return page.evaluate(() => (window as any).__interactiveAt as number);
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const small: number[] = [];
  const huge: number[] = [];
  await load(ids.small); // warm the caches of both sides once
  for (let i = 0; i < 3; i++) {
    small.push(await load(ids.small));
    huge.push(await load(ids.huge));
  }
  const ratio = median(huge) / median(small);
  console.log(`# 10,000 vs 100 segments, interactive after: ${median(huge).toFixed(0)} vs ${median(small).toFixed(0)} ms (ratio ${ratio.toFixed(2)})`);
  assert.ok(ratio < 5, `a 10,000-segment meeting becomes interactive ${ratio.toFixed(1)}× later than a 100-segment one (bound 5×; rendering every row would be far past it)`);

  await page.locator('[data-testid="transcript"][data-segments="10000"]').waitFor();
  const rendered = await page.locator('.segment-row').count();
  assert.ok(rendered > 0 && rendered < 80, `${rendered} rows in the DOM for 10,000 segments`);
  // Scroll to the middle and to the end: rows there are rendered, and still only a few.
  for (const fraction of [0.5, 1]) {
    await byTestId(page, 'transcript-scroll').evaluate((el: any, f: number) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), fraction);
    await page.waitForFunction((f: number) => {
      const rows = Array.from(document.querySelectorAll('[data-testid^="segment-"][data-highlighted]')) as any[];
      const idx = rows.map((r) => Number(r.id.slice(4)));
      return idx.length > 0 && Math.max(...idx) >= (f === 1 ? 9_999 : 3_000);
    }, fraction);
    const n = await page.locator('.segment-row').count();
    assert.ok(n < 80, `${n} rows in the DOM after scrolling`);
  }
  await byTestId(page, 'transcript-search').fill('Item 9876:');
  await page.locator('#seg-9876[data-current="true"]').waitFor();
  await screenshot(page, 'ux-07-transcript-10000-segments', { fullPage: false });
});

test(`[${dbLabel}] analyse automatically: a server setting, off by default on a credit-limited plan, its cost shown; switched on, the server generates an import's key points`, { skip }, async () => {
  await page.goto(`${t.url}/settings`);
  const toggle = page.locator('#auto-analyse-settings');
  await toggle.waitFor();
  assert.equal(await toggle.isChecked(), false, 'Starter has a credit limit: off by default');
  assert.match(await page.locator('#auto-analyse-settings-cost').innerText(), /1 AI credit per conversation \(\d+ of 10 credits left\)/);
  const profile = async () => (await t.request('GET', '/api/v1/user/profile', { key })).body.data;
  const usedBefore = (await profile()).apiUsage.aiGenerations.used;

  await byTestId(page, 'nav-import').click();
  await byTestId(page, 'import-file-input').setInputFiles(join(FIXTURES, 'zoom-roadmap.vtt'));
  await byTestId(page, 'import-preview').waitFor();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/user/profile') && r.request().method() === 'PATCH');
  await page.locator('#auto-analyse-import').check();
  assert.equal((await saved).status(), 200);
  assert.equal((await profile()).profile.autoAnalyse, true, 'kept on the server, for every browser and API import');
  // The page only waits for the server's key points: it never asks for a generation itself.
  const posts: string[] = [];
  const countPosts = (r: { url(): string; method(): string }) => {
    if (r.method() === 'POST' && /\/keypoints$/.test(new URL(r.url()).pathname)) posts.push(r.url());
  };
  page.on('request', countPosts);
  await byTestId(page, 'import-save').click();
  await page.waitForURL(/\/conversations\/sess_[^/?]+$/);
  ids.auto = (await byTestId(page, 'conversation-page').getAttribute('data-conversation-id'))!;
  // Nobody pressed Generate: the key points arrive by themselves, and "No key points yet" never shows while they are on their way.
  await byTestId(page, 'keypoints-result').waitFor();
  page.off('request', countPosts);
  assert.equal(await byTestId(page, 'keypoints-empty').count(), 0);
  assert.deepEqual(posts, [], 'no generation requested by the page');
  assert.equal((await t.request('GET', `/api/v1/conversations/${ids.auto}/keypoints`, { key })).status, 200);
  assert.equal((await profile()).apiUsage.aiGenerations.used, usedBefore + 1, 'one credit, spent by the server');

  // Another browser (a fresh context on the same account) shows the setting as saved.
  const other = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  try {
    await signInContext(other, t.url, key);
    const p2 = await other.newPage();
    await p2.goto(`${t.url}/settings`);
    await p2.locator('#auto-analyse-settings').waitFor();
    assert.equal(await p2.locator('#auto-analyse-settings').isChecked(), true);
  } finally {
    await other.close();
  }
});

test(`[${dbLabel}] the conversation page: summary, decisions and a checklist of action items first; one primary action; credits left shown`, { skip }, async () => {
  const result = byTestId(page, 'keypoints-result');
  const order = await result.locator('h3, [data-testid="keypoints-summary"]').evaluateAll((els: any[]) => els.map((e) => (e.tagName === 'H3' ? e.textContent : 'summary')));
  assert.deepEqual(order.slice(0, 3), ['summary', 'Decisions', 'Action items'], `order: ${order.join(', ')}`);
  const primaries = await page.locator('[data-testid="conversation-page"] .btn-primary').evaluateAll((els: any[]) => els.filter((e) => e.offsetParent !== null).length);
  assert.ok(primaries <= 1, `${primaries} primary buttons at once`);
  assert.match(await page.locator('#keypoints [data-testid="credits-left"]').innerText(), /\d+ of 10 credits left/);

  const items = byTestId(page, 'kp-action-item');
  assert.ok((await items.count()) > 0, 'the meeting has action items');
  const first = items.first();
  await first.locator('[data-testid="kp-action-check"]').check();
  await page.locator('[data-testid="kp-action-item"][data-status="done"]').first().waitFor();
  assert.match(await byTestId(page, 'kp-action-progress').innerText(), /^1 of \d+ done$/);
  const tracked = await t.request('GET', `/api/v1/action-items?status=done&conversationId=${ids.auto}`, { key });
  assert.equal(tracked.body.data.length, 1, 'ticked off in /action-items');
  await screenshot(page, 'ux-08-conversation-summary-first');
  await checkA11y(page, 'conversation with key points');

  // An evidence link jumps to the transcript; "Back to the key point" returns to the link.
  const link = result.locator('[data-testid="evidence-link"]').first();
  await link.click();
  await page.locator('[data-highlighted="true"]').waitFor();
  await byTestId(page, 'back-to-keypoint').click();
  // Focus moves once the notes are shown again (the next animation frame).
  const focused = await becomesFocused(link);
  assert.equal(focused, true, 'focus is back on the link');
  assert.equal(await byTestId(page, 'back-to-keypoint').count(), 0);
});

test(`[${dbLabel}] feedback reads its times as the transcript does (elapsed, clock on hover)`, { skip }, async () => {
  const fb = await t.request('POST', `/api/v1/conversations/${ids.auto}/feedback`, { key });
  assert.equal(fb.status, 200, fb.text);
  await page.goto(`${t.url}/conversations/${ids.auto}`);
  const claim = page.locator('[data-testid="claim-time"]').first();
  await claim.waitFor();
  const text = (await claim.innerText()).trim();
  assert.match(text, /^at \d+:\d\d$/, `elapsed, not clock time: ${text}`);
  // The same segment in the transcript shows the same elapsed time.
  const card = page.locator('#feedback .card-item', { has: claim }).first();
  const index = Number(await card.locator('[data-testid="evidence-link"]').first().getAttribute('data-segment-index'));
  await card.locator('[data-testid="evidence-link"]').first().click();
  const segTime = page.locator(`#seg-${index} [data-testid="segment-time"]`);
  await segTime.waitFor();
  assert.equal(`at ${await segTime.innerText()}`, text);
  assert.equal(await claim.locator('time').getAttribute('title'), await segTime.getAttribute('title'), 'the same clock time on hover');
});

test(`[${dbLabel}] import: no start time is warned about and asked for; the preview's times are the saved page's`, { skip }, async () => {
  await page.goto(`${t.url}/import`);
  await byTestId(page, 'import-file-input').setInputFiles(join(FIXTURES, 'zoom-roadmap.vtt'));
  await byTestId(page, 'import-no-start-warning').waitFor();
  await screenshot(page, 'ux-09-import-no-start-time');
  await checkA11y(page, 'import without a start time');
  const firstTimes = () => page.locator('.import-segments .segment-time').allInnerTexts();
  const before = await firstTimes();
  await byTestId(page, 'import-time-zone').fill('UTC');
  await byTestId(page, 'import-start-time').fill('2026-03-18T14:00');
  await byTestId(page, 'import-no-start-warning').waitFor({ state: 'detached' });
  // Previewed again from that start.
  await page.locator('[data-testid="import-starts"]', { hasText: 'Mar 18, 2026' }).waitFor();
  const preview = await firstTimes();
  assert.deepEqual(preview, before, 'cue offsets count from the start either way');
  const off = page.waitForResponse((r) => r.url().endsWith('/api/v1/user/profile') && r.request().method() === 'PATCH');
  await page.locator('#auto-analyse-import').uncheck();
  assert.equal((await off).status(), 200);
  await byTestId(page, 'import-save').click();
  await byTestId(page, 'conversation-page').waitFor();
  await page.locator('[data-testid="transcript"][data-segments="15"]').waitFor();
  const saved = await page.locator('[data-testid^="segment-"] [data-testid="segment-time"]').allInnerTexts();
  assert.deepEqual(saved.slice(0, preview.length), preview, `preview ${preview.join(' ')} vs saved ${saved.join(' ')}`);
  assert.match(await page.locator('.conv-header time').first().innerText(), /Mar 18, 2026/);
});

test(`[${dbLabel}] the list: meeting date order by default, a summary line and speakers per row, message counts for chats, highlighted snippets`, { skip }, async () => {
  const chat = await t.request('POST', '/api/v1/conversations', {
    key,
    body: { title: 'Support chat', kind: 'chat', messages: [{ role: 'user', content: 'My invoice is wrong.' }, { role: 'assistant', content: 'Let me look at the invoice.' }, { role: 'user', content: 'Thanks.' }] },
  });
  assert.equal(chat.status, 200, chat.text);
  await page.goto(`${t.url}/conversations`);
  await byTestId(page, 'conversation-list').waitFor();
  assert.equal(await byTestId(page, 'filter-sort').inputValue(), 'startTime', 'meeting date is the default order');
  const dates = await byTestId(page, 'conversation-date').evaluateAll((els: any[]) => els.map((e) => Date.parse(e.getAttribute('datetime'))));
  assert.deepEqual([...dates].sort((a, b) => b - a), dates, 'rows are in the order of the dates they show');
  const auto = page.locator('[data-testid="conversation-row"]', { has: page.locator(`[data-testid="conversation-link-${ids.auto}"]`) });
  assert.match(await auto.locator('[data-testid="conversation-summary"]').innerText(), /^The meeting was mainly about .+\.$/);
  assert.match(await auto.locator('[data-testid="conversation-speakers"]').innerText(), /Dana Whitfield/);
  const chatRow = page.locator('[data-testid="conversation-row"]', { has: page.locator(`[data-testid="conversation-link-${chat.body.data.id}"]`) });
  assert.equal(await chatRow.locator('[data-testid="conversation-size"]').innerText(), '3 messages');
  await screenshot(page, 'ux-10-list');
  await checkA11y(page, 'list');

  await byTestId(page, 'filter-sort').selectOption('createdAt');
  await page.waitForURL(/sort=createdAt/);
  await page.locator(`[data-testid="conversation-link-${chat.body.data.id}"]`).first().waitFor();
  assert.equal(await page.locator('[data-testid="conversation-row"]').first().locator(`[data-testid="conversation-link-${chat.body.data.id}"]`).count(), 1, 'newest added first');

  await byTestId(page, 'search-input').fill('vendor');
  const match = page.locator('[data-testid^="conversation-match-"]').first();
  await match.waitFor();
  assert.match(await match.locator('mark').first().innerText(), /vendor/i);
  await screenshot(page, 'ux-11-list-search-snippets');
});

test(`[${dbLabel}] on a phone: compact header, filters behind a button, a Notes / Transcript switch and the way back from evidence`, { skip }, async () => {
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  phone.setDefaultTimeout(WAIT);
  try {
    await signInContext(phone, t.url, key);
    const p = await phone.newPage();
    p.on('pageerror', (e) => pageErrors.push(`phone: ${e.message}`));
    await p.goto(`${t.url}/conversations`);
    await byTestId(p, 'conversation-list').waitFor();
    const header = await p.locator('.site-header').boundingBox();
    assert.ok(header && header.height < 64, `the header is one line (${header?.height}px)`);
    assert.equal(await byTestId(p, 'filter-kind').isVisible(), false, 'filters wait behind the button');
    await screenshot(p, 'ux-12-phone-list', { fullPage: false });
    const firstRow = await p.locator('[data-testid="conversation-row"]').first().boundingBox();
    assert.ok(firstRow && firstRow.y < PHONE.height / 2, `the first conversation starts in the top half (${firstRow?.y}px)`);
    assert.equal((await horizontalOverflow(p)).overflow, 0);
    await checkA11y(p, 'phone list');
    await byTestId(p, 'filters-toggle').click();
    await byTestId(p, 'filter-kind').waitFor();
    await screenshot(p, 'ux-13-phone-filters-open', { fullPage: false });

    await p.goto(`${t.url}/conversations/${ids.auto}`);
    await byTestId(p, 'keypoints-result').waitFor();
    assert.equal(await byTestId(p, 'transcript-scroll').isVisible(), false, 'notes first, the transcript behind the switch');
    assert.equal((await horizontalOverflow(p)).overflow, 0);
    await screenshot(p, 'ux-14-phone-notes', { fullPage: false });
    await checkA11y(p, 'phone notes');
    const link = p.locator('#keypoints [data-testid="evidence-link"]').last();
    await link.scrollIntoViewIfNeeded();
    await link.click();
    const lit = p.locator('[data-highlighted="true"]');
    await lit.waitFor();
    assert.ok(await isScrolledIntoView(lit), 'the cited segment is in view');
    assert.equal(await byTestId(p, 'keypoints-result').isVisible(), false);
    assert.ok(await isScrolledIntoView(byTestId(p, 'back-to-keypoint')), 'the way back is on screen too');
    await screenshot(p, 'ux-15-phone-transcript-evidence', { fullPage: false });
    await checkA11y(p, 'phone transcript');
    await byTestId(p, 'back-to-keypoint').click();
    await byTestId(p, 'keypoints-result').waitFor();
    await p.waitForFunction(() => document.activeElement?.dataset?.testid === 'evidence-link');
    assert.ok(await isScrolledIntoView(link), 'back at the key point that cited it');

    // Every other page at phone size: no sideways scroll, axe-clean, a screenshot each.
    for (const [path, ready, name] of [
      ['/action-items', '[data-testid="action-items-empty"], [data-testid="action-group"]', 'action-items'],
      ['/import', '[data-testid="import-dropzone"]', 'import'],
      ['/settings', '[data-testid="usage-tier"]', 'settings'],
      ['/trash', '[data-testid="trash-list"], [data-testid="trash-empty"]', 'trash'],
    ] as const) {
      await p.goto(t.url + path);
      await p.locator(ready).first().waitFor();
      const { overflow, offenders } = await horizontalOverflow(p);
      assert.equal(overflow, 0, `${path} scrolls sideways: ${offenders.join(', ')}`);
      await screenshot(p, `ux-16-phone-${name}`);
      await checkA11y(p, `phone ${name}`);
    }
  } finally {
    await phone.close();
  }
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
