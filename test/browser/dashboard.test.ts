// The dashboard in a real browser (headless Chromium through playwright-core) against the real
// server: sign in, import, key points, evidence links, ask, feedback, share, settings, axe-core
// and a phone-sized viewport. Screenshots land in test-results/browser/ for a person to look at.
//
// The tests run in order and share one signed-in page. Without Chromium they are skipped on a
// developer machine (with a message naming `apt-get install chromium`) and fail on CI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import {
  FIXTURES,
  becomesFocused,
  browserUnavailable,
  ensureDashboardBuilt,
  horizontalOverflow,
  isCI,
  isScrolledIntoView,
  launch,
  screenshot,
  seriousA11yViolations,
  signInContext,
} from './support.js';

// The callbacks given to page.evaluate run in the browser; the project's typecheck has no DOM lib.
declare const window: any;
declare const document: any;
declare const localStorage: any;

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;
const ZOOM = join(FIXTURES, 'zoom-roadmap.vtt');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = '';
let conversationId = '';
let conversationTitle = '';
let sharePath = '';
const pageErrors: string[] = [];
const a11y = new Map<string, string[]>();

function watch(p: Page, label: string) {
  p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
}

async function checkA11y(p: Page, name: string) {
  a11y.set(name, await seriousA11yViolations(p));
}

const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  t = await startTestApp();
  ({ key } = await t.user('professional'));
  // A second conversation, so the list shows more than one row.
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(FIXTURES, 'teams-incident-review.vtt'))], { type: 'text/vtt' }), 'teams-incident-review.vtt');
  const seeded = await t.request('POST', '/api/v1/conversations/import', { key, raw: form });
  assert.equal(seeded.status, 201, `seeding the Teams transcript: ${seeded.text}`);
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
  context.setDefaultTimeout(WAIT);
  page = await context.newPage();
  watch(page, 'dashboard');
});

after(async () => {
  await browser?.close();
  await t?.close();
});

test(`[${dbLabel}] signs in by pasting an API key`, { skip }, async () => {
  await page.goto(t.url + '/');
  await byTestId(page, 'api-key-input').waitFor();
  await screenshot(page, '01-sign-in');
  await checkA11y(page, 'sign-in');

  // A key of the right shape that the server rejects shows the API's error, and stays here.
  await byTestId(page, 'api-key-input').fill('convo_not_a_real_key');
  await byTestId(page, 'sign-in-button').click();
  const error = byTestId(page, 'error-message');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-error-code'), 'unauthorized');

  await byTestId(page, 'api-key-input').fill(key);
  await byTestId(page, 'sign-in-button').click();
  await page.waitForURL(/\/conversations$/);
  await byTestId(page, 'conversation-list').waitFor();
  await byTestId(page, 'account-name').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('colloquy.apiKey')), null, 'the key is not kept in the browser');
  const cookies = await context.cookies(t.url + '/api/v1/conversations');
  const session = cookies.find((c) => c.name === 'colloquy_session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true, 'page scripts cannot read the session');
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('colloquy_session')), false);
  assert.ok(!page.url().includes(key), 'the key is never in the URL');
});

test(`[${dbLabel}] imports a Zoom VTT file: preview, save, land on the conversation`, { skip }, async () => {
  await byTestId(page, 'nav-import').click();
  await page.waitForURL(/\/import$/);
  await byTestId(page, 'import-file-input').setInputFiles(ZOOM);
  const preview = byTestId(page, 'import-preview');
  await preview.waitFor();
  assert.equal(await byTestId(page, 'import-format').textContent(), 'VTT');
  assert.equal(await byTestId(page, 'import-segment-count').textContent(), '15');
  const speakers = await byTestId(page, 'import-speakers').textContent();
  for (const s of ['Dana Whitfield', 'Marcus Oyelaran', 'Priya Raman']) assert.ok(speakers?.includes(s), `preview lists ${s}: ${speakers}`);
  assert.match((await preview.textContent()) ?? '', /Let's get started/);
  await screenshot(page, '05-import-preview');
  await checkA11y(page, 'import preview');

  // Nothing is saved by the preview.
  const before = await t.request('GET', '/api/v1/conversations', { key });
  assert.equal(before.body.data.length, 1, 'the dry run saved nothing');

  await byTestId(page, 'import-save').click();
  await page.waitForURL(/\/conversations\/[^/]+$/);
  const conv = byTestId(page, 'conversation-page');
  await conv.waitFor();
  conversationId = (await conv.getAttribute('data-conversation-id')) ?? '';
  assert.ok(conversationId, 'the page names the conversation');
  assert.ok(page.url().endsWith(`/conversations/${encodeURIComponent(conversationId)}`));
  conversationTitle = await byTestId(page, 'title-edit').inputValue();
  assert.ok(conversationTitle.length > 0, 'the conversation has a title');
  // The transcript is virtualised: all 15 segments are in it, the ones in view are rendered.
  await page.locator('[data-testid="transcript"][data-segments="15"]').waitFor();
  assert.match((await byTestId(page, 'segment-0').textContent()) ?? '', /Dana Whitfield[\s\S]*Let's get started/);
});

test(`[${dbLabel}] generates key points and shows them`, { skip }, async () => {
  await byTestId(page, 'keypoints-empty').waitFor();
  await byTestId(page, 'generate-keypoints').click();
  const result = byTestId(page, 'keypoints-result');
  await result.waitFor();
  assert.equal(await byTestId(page, 'keypoints-cost-status').getAttribute('data-cached'), 'false', 'a fresh generation');
  const text = (await result.textContent()) ?? '';
  // The summary opens the notes: a few sentences, above the sections.
  assert.match((await byTestId(page, 'keypoints-summary').textContent()) ?? '', /^The meeting was mainly about .+\..+\./);
  assert.match(text, /Decisions/);
  assert.match(text, /Action items/);
  assert.ok((await result.locator('li').count()) > 0, 'some key points are listed');
  assert.ok((await byTestId(page, 'evidence-link').count()) > 0, 'key points link to their evidence');
  await screenshot(page, '03-conversation-keypoints');
});

test(`[${dbLabel}] an evidence link scrolls the cited segment into view and highlights it`, { skip }, async () => {
  // The link citing the latest segment, so the transcript has to scroll to reach it.
  const links = byTestId(page, 'evidence-link');
  const indexes = await links.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-segment-index'))));
  const target = Math.max(...indexes);
  const segment = byTestId(page, `segment-${target}`);
  assert.equal(await page.locator('[data-highlighted="true"]').count(), 0, 'nothing highlighted yet');

  // Scroll the page and the transcript to the top first, so the jump has to move something.
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    document.querySelector('.transcript-scroll')?.scrollTo(0, 0);
  });
  const link = page.locator(`[data-testid="evidence-link"][data-segment-index="${target}"]`).first();
  await link.scrollIntoViewIfNeeded();
  await link.click();

  await page.locator(`[data-testid="segment-${target}"][data-highlighted="true"]`).waitFor();
  assert.ok(await isScrolledIntoView(segment), `segment ${target} is scrolled into view`);
  assert.equal(await page.locator('[data-highlighted="true"]').count(), 1, 'exactly one segment is highlighted');
  assert.equal(await becomesFocused(segment), true, 'focus moves to the segment');
  // What the window shows (a full-page capture would misplace the sticky transcript).
  await screenshot(page, '04-evidence-highlight', { fullPage: false });
});

test(`[${dbLabel}] asks a question and shows the answer`, { skip }, async () => {
  await byTestId(page, 'query-input').fill('Why did the payments migration slip?');
  await byTestId(page, 'query-submit').click();
  const answer = byTestId(page, 'query-answer');
  await answer.waitFor();
  const text = ((await answer.textContent()) ?? '').trim();
  assert.ok(text.length > 10, `an answer: ${text}`);
  assert.ok((await byTestId(page, 'suggested-query').count()) > 0, 'follow-up questions are offered');

  // A suggested question is asked with one click.
  const suggestion = byTestId(page, 'suggested-query').first();
  const q = ((await suggestion.textContent()) ?? '').trim();
  await suggestion.click();
  await page.locator('.answer-q', { hasText: q }).first().waitFor();
  assert.ok(((await answer.textContent()) ?? '').trim().length > 0);
});

test(`[${dbLabel}] generates feedback with charts (≥10 segments)`, { skip }, async () => {
  await byTestId(page, 'feedback-empty').waitFor();
  await byTestId(page, 'generate-feedback').click();
  const result = byTestId(page, 'feedback-result');
  await result.waitFor();
  const score = ((await byTestId(page, 'feedback-score').textContent()) ?? '').replace('/10', '');
  assert.ok(Number(score) >= 0 && Number(score) <= 10, `overall score out of 10: ${score}`);
  await byTestId(page, 'category-scores-chart').locator('svg rect.chart-bar').first().waitFor();
  assert.equal(await byTestId(page, 'category-scores-chart').locator('svg rect.chart-bar').count(), 5);
  await byTestId(page, 'talk-timeline-chart').waitFor();
  assert.ok((await byTestId(page, 'talk-timeline-chart').locator('svg rect').count()) > 0, 'the timeline has bars');
  await screenshot(page.locator('#feedback'), '06-feedback-charts');
  assert.deepEqual(await page.locator('#main [data-testid="error-message"]').allInnerTexts(), [], 'no errors on the conversation page');
  await checkA11y(page, 'conversation (all analyses open)');
});

test(`[${dbLabel}] shares the conversation: public page without a key, 404 after revoking`, { skip }, async () => {
  const toggle = byTestId(page, 'share-toggle');
  assert.equal(await toggle.getAttribute('data-shared'), 'false');
  await toggle.click();
  const url = byTestId(page, 'share-url');
  await url.waitFor();
  const href = (await url.getAttribute('href')) ?? '';
  sharePath = new URL(href, t.url).pathname;
  assert.match(sharePath, /^\/shared\/[^/]+$/, `share URL: ${href}`);
  assert.equal(await toggle.getAttribute('data-shared'), 'true');

  // A fresh context: no localStorage, no key, nothing shared with the signed-in page.
  // bypassCSP only lets axe-core be injected: the share page's CSP forbids any script.
  const anon = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', bypassCSP: true });
  anon.setDefaultTimeout(WAIT);
  try {
    const pub = await anon.newPage();
    watch(pub, 'shared page');
    const res = await pub.goto(t.url + sharePath);
    assert.equal(res?.status(), 200, `GET ${sharePath}: ${res?.status()}`);
    const body = (await pub.locator('body').innerText()).replace(/\s+/g, ' ');
    assert.ok(body.includes(conversationTitle), `the public page shows the title "${conversationTitle}"`);
    assert.ok(body.includes("Let's get started"), 'the public page shows the transcript');
    assert.ok(body.includes('Dana Whitfield'), 'the public page shows the speakers');
    assert.equal(await pub.evaluate(() => localStorage.length), 0, 'no key in the fresh context');
    await screenshot(pub, '08-share-page');
    await checkA11y(pub, 'shared page');

    await toggle.click();
    await page.locator('[data-testid="share-toggle"][data-shared="false"]').waitFor();
    assert.equal(await url.count(), 0, 'the link is gone from the dashboard');

    const gone = await pub.reload();
    assert.equal(gone?.status(), 404, `GET ${sharePath} after revoking: ${gone?.status()}`);
    const again = await pub.goto(t.url + sharePath);
    assert.equal(again?.status(), 404);
  } finally {
    await anon.close();
  }
});

test(`[${dbLabel}] the conversation list and settings pages`, { skip }, async () => {
  await byTestId(page, 'nav-conversations').click();
  await page.waitForURL(/\/conversations$/);
  await page.locator('[data-testid="conversation-row"]').nth(1).waitFor();
  assert.equal(await page.locator('[data-testid="conversation-row"]').count(), 2);
  await byTestId(page, `conversation-link-${conversationId}`).waitFor();
  await screenshot(page, '02-conversation-list');
  await checkA11y(page, 'conversation list');

  // A transcript search shows where each row matched; the match opens the conversation there.
  await byTestId(page, 'search-input').fill('PagerDuty');
  await page.waitForURL(/\?q=PagerDuty/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-row"]').length === 1);
  const match = page.locator('[data-testid^="conversation-match-"]');
  await match.waitFor();
  assert.equal(await match.locator('mark').first().innerText(), 'PagerDuty');
  const href = (await match.getAttribute('href'))!;
  const [, matchedId, segment] = /\/conversations\/([^?]+)\?segment=(\d+)$/.exec(href)!;
  await screenshot(page, '02b-search-match');
  await checkA11y(page, 'conversation list with search matches');
  await match.click();
  await page.waitForURL(new RegExp(`/conversations/${matchedId}\\?segment=${segment}$`));
  const target = byTestId(page, `segment-${segment}`);
  await page.waitForFunction((s) => document.querySelector(`[data-testid="segment-${s}"]`)?.getAttribute('data-highlighted') === 'true', segment);
  assert.match(await target.innerText(), /PagerDuty/);

  // A question across every conversation: an answer, its sources, and a source opens its segment.
  await byTestId(page, 'nav-conversations').click();
  await page.waitForURL(/\/conversations$/);
  await byTestId(page, 'across-input').fill('Who updated PagerDuty but not the Slack channel?');
  await byTestId(page, 'across-submit').click();
  const answer = byTestId(page, 'across-answer');
  await answer.waitFor();
  const source = page.locator('[data-testid="across-citation"]').first();
  await source.waitFor();
  assert.match(await answer.innerText(), /PagerDuty/);
  assert.equal(await source.innerText(), 'teams-incident-review');
  await screenshot(page, '02c-ask-across');
  await checkA11y(page, 'ask across conversations');
  await source.click();
  await page.waitForURL(/\/conversations\/[^?]+\?segment=\d+$/);
  const cited = new URL(page.url()).searchParams.get('segment');
  await page.waitForFunction((s) => document.querySelector(`[data-testid="segment-${s}"]`)?.getAttribute('data-highlighted') === 'true', cited);

  await byTestId(page, 'nav-settings').click();
  await page.waitForURL(/\/settings$/);
  await byTestId(page, 'usage-tier').waitFor();
  await byTestId(page, 'keys-table').waitFor();
  await page.locator('#webhooks').waitFor();
  await page.locator('#calendar').waitFor();
  await byTestId(page, 'calendar-current').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#main [role="status"].busy').length === 0);
  const errors = await page.locator('#main [data-testid="error-message"]').allInnerTexts();
  assert.deepEqual(errors, [], 'a fresh account\'s settings show no errors (no calendar is an empty state)');
  await screenshot(page, '07-settings');
  await checkA11y(page, 'settings');
});

test(`[${dbLabel}] no serious or critical axe-core violations on the main pages`, { skip }, () => {
  assert.ok(a11y.size >= 5, `axe ran on ${[...a11y.keys()].join(', ')}`);
  const failures = [...a11y].filter(([, v]) => v.length > 0).map(([name, v]) => `${name}:\n  ${v.join('\n  ')}`);
  assert.equal(failures.length, 0, `axe-core found serious/critical violations:\n${failures.join('\n')}`);
});

test(`[${dbLabel}] a 375×800 phone viewport has no horizontal scroll on the list and a conversation`, { skip }, async () => {
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
  phone.setDefaultTimeout(WAIT);
  try {
    await signInContext(phone, t.url, key);
    const p = await phone.newPage();
    watch(p, 'phone');
    await p.goto(t.url + '/conversations');
    await byTestId(p, 'conversation-list').waitFor();
    const list = await horizontalOverflow(p);
    await screenshot(p, '09-phone-conversation-list');
    assert.equal(list.overflow, 0, `the list scrolls sideways by ${list.overflow}px: ${list.offenders.join(', ')}`);

    await p.goto(`${t.url}/conversations/${encodeURIComponent(conversationId)}`);
    await byTestId(p, 'keypoints-result').waitFor();
    await byTestId(p, 'feedback-result').waitFor();
    // Phones show the notes or the transcript: the switch opens the transcript.
    await byTestId(p, 'view-transcript').click();
    await p.locator('[data-testid="transcript"][data-segments="15"]').waitFor();
    const conv = await horizontalOverflow(p);
    await screenshot(p, '10-phone-conversation');
    assert.equal(conv.overflow, 0, `the conversation scrolls sideways by ${conv.overflow}px: ${conv.offenders.join(', ')}`);
  } finally {
    await phone.close();
  }
});

test(`[${dbLabel}] no uncaught errors in any page`, { skip }, () => {
  assert.deepEqual(pageErrors, []);
});
