// The search page in a real browser (headless Chromium through playwright-core) against the real
// server: a phrase found across meetings with highlighted snippets grouped by conversation, a
// snippet that opens its conversation at the segment, a misspelled name corrected ("Showing results
// for"), nothing found, the kind filter, and the same page on a phone. Screenshots land in
// test-results/browser/.
//
// The tests run in order and share one signed-in page. Without Chromium they are skipped on a
// developer machine (with a message naming `apt-get install chromium`) and fail on CI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { browserUnavailable, ensureDashboardBuilt, horizontalOverflow, isCI, launch, screenshot, seriousA11yViolations, signInContext } from './support.js';

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = '';
const ids: Record<string, string> = {};
const pageErrors: string[] = [];

const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);
const segments = (day: number, rows: string[][]) =>
  rows.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.UTC(2026, 2, day, 10, 0, i * 20)).toISOString() }));

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  t = await startTestApp();
  ({ key } = await t.user('professional'));
  const create = async (name: string, body: Record<string, unknown>) => {
    ids[name] = (await t.request('POST', '/api/v1/conversations', { key, body })).body.data.id as string;
  };
  await create('renewal', {
    title: 'Vendor renewal',
    startTime: '2026-03-02T10:00:00Z',
    segments: segments(2, [
      ['Dana', 'Welcome. Today we review the vendor renewal and the migration.'],
      ['Bob', 'The SOC report from the vendor is two weeks late.'],
      ['Dana', 'Bob, please chase the vendor about the SOC report by Friday.'],
      ['Priya', 'Kowalczyk from their side joins the security review.'],
    ]),
  });
  await create('sync', {
    title: 'Weekly sync',
    startTime: '2026-03-09T10:00:00Z',
    segments: segments(9, [
      ['Dana', 'Quick status round on last week.'],
      ['Bob', 'Still waiting on the SOC report from the vendor.'],
    ]),
  });
  await create('chat', { title: 'Support chat', content: 'User: Where can I download the SOC report?\nAssistant: It is in the trust center.' });

  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(WAIT);
  await signInContext(context, t.url, key);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await t?.close();
});

test(`[${dbLabel}] a phrase across conversations: grouped results with highlighted snippets`, { skip }, async () => {
  await page.goto(`${t.url}/conversations`);
  await byTestId(page, 'nav-search').click();
  await page.waitForURL(/\/search$/);
  await byTestId(page, 'search-input').fill('"SOC report"');
  await byTestId(page, 'search-submit').click();
  await page.waitForURL(/\/search\?q=/);
  await byTestId(page, 'search-result').first().waitFor();
  const titles = await page.locator('[data-testid="search-result"] .conv-title').allTextContents();
  assert.deepEqual(new Set(titles), new Set(['Vendor renewal', 'Weekly sync', 'Support chat']));
  const renewal = byTestId(page, 'search-result').filter({ hasText: 'Vendor renewal' });
  assert.match((await renewal.textContent()) ?? '', /2 matching segments/);
  assert.equal(await renewal.locator('[data-testid="search-match"]').count(), 2);
  const marks = await page.locator('[data-testid="search-results"] mark').allTextContents();
  assert.ok(marks.length >= 4 && marks.every((m) => /^(SOC|report)$/i.test(m)), `only the phrase's words are marked: ${marks}`);
  assert.equal(await byTestId(page, 'search-corrected').count(), 0);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'search-results');
});

test(`[${dbLabel}] a snippet opens its conversation at the segment; back returns to the results`, { skip }, async () => {
  const match = byTestId(page, 'search-result').filter({ hasText: 'Weekly sync' }).locator('[data-testid="search-match"]').first();
  assert.equal(await match.getAttribute('href'), `/conversations/${ids.sync}?segment=1`);
  await match.click();
  await page.waitForURL(new RegExp(`/conversations/${ids.sync}\\?segment=1$`));
  await page.locator('#seg-1').waitFor();
  await page.goBack();
  await page.waitForURL(/\/search\?q=/);
  await byTestId(page, 'search-result').first().waitFor();
  assert.equal(await byTestId(page, 'search-input').inputValue(), '"SOC report"');
});

test(`[${dbLabel}] the kind filter; a misspelled name is corrected; nothing found says so`, { skip }, async () => {
  await page.locator('#search-kind').selectOption('chat');
  await page.waitForURL(/kind=chat/);
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="search-result"]').length === 1);
  assert.deepEqual(await page.locator('[data-testid="search-result"] .conv-title').allTextContents(), ['Support chat']);
  await page.locator('#search-kind').selectOption('');

  await byTestId(page, 'search-input').fill('Kowalcyk');
  await byTestId(page, 'search-submit').click();
  await byTestId(page, 'search-corrected').waitFor();
  assert.match((await byTestId(page, 'search-corrected').textContent()) ?? '', /Nothing matched “Kowalcyk”\. Showing results for “kowalczyk”/);
  assert.match((await byTestId(page, 'search-match').first().textContent()) ?? '', /Kowalczyk from their side/);
  await screenshot(page, 'search-corrected');

  await byTestId(page, 'search-input').fill('zanzibar');
  await byTestId(page, 'search-submit').click();
  await byTestId(page, 'search-empty').waitFor();
  assert.equal(await byTestId(page, 'search-result').count(), 0);
});

test(`[${dbLabel}] on a phone: no sideways scrolling, results readable`, { skip }, async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US', timezoneId: 'UTC' });
  try {
    await signInContext(phone, t.url, key);
    const p = await phone.newPage();
    await p.goto(`${t.url}/search?q=vendor`);
    await byTestId(p, 'search-result').first().waitFor();
    const { overflow, offenders } = await horizontalOverflow(p);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px: ${offenders.join(', ')}`);
    await screenshot(p, 'search-phone');
  } finally {
    await phone.close();
  }
  assert.deepEqual(pageErrors, []);
});
