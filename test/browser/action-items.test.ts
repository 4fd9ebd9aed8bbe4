// The action items page in a real browser (headless Chromium through playwright-core) against the
// real server and its workers: open items of two meetings grouped by owner and by due date, the
// later meeting's mention and its "looks done" suggestion, the link to the source segment, editing
// owner and due date, and checking an item off. The screenshot lands in test-results/browser/.
//
// The tests run in order and share one signed-in page. Without Chromium they are skipped on a
// developer machine (with a message naming `apt-get install chromium`) and fail on CI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWorkers } from '../../src/workers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { waitFor } from '../webhooks/helpers.js';
import { browserUnavailable, ensureDashboardBuilt, isCI, launch, screenshot, seriousA11yViolations, signInContext } from './support.js';

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;

let t: TestApp;
let stopWorkers: (() => Promise<void>) | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = '';
let renewal = '';
const pageErrors: string[] = [];

const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);
const row = (text: RegExp) => byTestId(page, 'action-item').filter({ hasText: text });
const segments = (day: number, rows: string[][]) =>
  rows.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.UTC(2026, 2, day, 10, 0, i * 20)).toISOString() }));
const apiItems = async () => (await t.request('GET', '/api/v1/action-items?status=open', { key })).body.data as Array<{ id: string; item: string; owner: string | null; dueDate: string | null }>;

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  t = await startTestApp();
  stopWorkers = await startWorkers(t.container);
  ({ key } = await t.user('professional'));
  const create = async (body: Record<string, unknown>) => (await t.request('POST', '/api/v1/conversations', { key, body })).body.data.id as string;
  renewal = await create({
    title: 'Vendor renewal',
    startTime: '2026-03-02T10:00:00Z',
    segments: segments(2, [
      ['Dana', 'Welcome. Today we review the vendor renewal and the migration.'],
      ['Bob', 'The SOC report from the vendor is two weeks late.'],
      ['Dana', 'Bob, please chase the vendor about the SOC report by Friday.'],
      ['Priya', 'I will write the handover doc for the support team by March 10.'],
      ['Dana', 'Great. Carl will update the pricing page next week.'],
    ]),
  });
  assert.equal((await t.request('POST', `/api/v1/conversations/${renewal}/keypoints`, { key })).status, 200);
  const sync = await create({
    title: 'Weekly sync',
    startTime: '2026-03-09T10:00:00Z',
    segments: segments(9, [
      ['Dana', 'Quick status round on last week.'],
      ['Priya', 'The handover doc is done and shared with support.'],
      ['Bob', 'Still waiting on the SOC report from the vendor.'],
    ]),
  });
  assert.equal((await t.request('POST', `/api/v1/conversations/${sync}/keypoints`, { key })).status, 200);
  await waitFor(async () => (await apiItems()).length >= 3 && (await t.request('GET', '/api/v1/action-items', { key })).body.data.some((i: any) => i.suggestedStatus === 'done'), 'the mention job');

  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'America/Los_Angeles' });
  context.setDefaultTimeout(WAIT);
  await signInContext(context, t.url, key);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await stopWorkers?.();
  await t?.close();
});

test(`[${dbLabel}] open items across meetings, grouped by owner, with the later meeting's suggestion`, { skip }, async () => {
  await page.goto(`${t.url}/conversations`);
  await byTestId(page, 'nav-action-items').click();
  await page.waitForURL(/\/action-items$/);
  await byTestId(page, 'action-item').first().waitFor();
  const headings = (await byTestId(page, 'action-group-heading').allTextContents()).map((h) => h.replace(/\s*\d+$/, ''));
  for (const owner of ['Bob', 'Carl', 'Priya']) assert.ok(headings.includes(owner), `a group for ${owner}: ${headings}`);
  assert.deepEqual([...headings].sort((a, b) => a.localeCompare(b)), headings.filter((h) => h !== 'No owner').concat(headings.includes('No owner') ? ['No owner'] : []).sort((a, b) => a.localeCompare(b)));

  const handover = row(/handover doc/);
  await byTestId(handover as any, 'action-suggestion').waitFor();
  assert.equal(await row(/SOC report/).locator('[data-testid="action-suggestion"]').count(), 0, 'no suggestion where the meeting says it is still open');
  assert.match((await handover.locator('[data-testid="action-mention"]').first().textContent()) ?? '', /handover doc is done/);
  assert.equal(await row(/SOC report/).locator('[data-testid="action-due"]').textContent(), 'Due Fri, Mar 6, 2026');
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'action-items-by-owner');
});

test(`[${dbLabel}] grouped by due date: soonest first, undated last`, { skip }, async () => {
  await byTestId(page, 'action-group-by').selectOption('due');
  await page.waitForURL(/groupBy=due/);
  const headings = (await byTestId(page, 'action-group-heading').allTextContents()).map((h) => h.replace(/\s*\d+$/, ''));
  assert.deepEqual(headings.slice(0, 2), ['Due Fri, Mar 6, 2026', 'Due Tue, Mar 10, 2026']);
  assert.equal(headings.at(-1), 'No due date');
});

test(`[${dbLabel}] the source link opens the conversation at the segment`, { skip }, async () => {
  const link = row(/SOC report/).locator('[data-testid="action-source"]');
  assert.equal(await link.getAttribute('href'), `/conversations/${renewal}?segment=2`);
  await link.click();
  await page.waitForURL(new RegExp(`/conversations/${renewal}\\?segment=2$`));
  await page.locator('#seg-2').waitFor();
  await page.goBack();
  await page.waitForURL(/\/action-items/);
  await byTestId(page, 'action-item').first().waitFor();
  await byTestId(page, 'action-items-loading').waitFor({ state: 'detached' });
});

test(`[${dbLabel}] edit owner and due date; check an item off`, { skip }, async () => {
  const pricing = row(/pricing page/);
  await pricing.locator('[data-testid="action-edit"]').click();
  await pricing.locator('[data-testid="action-owner-input"]').fill('Dana');
  await pricing.locator('[data-testid="action-due-input"]').fill('2026-03-20');
  await pricing.locator('[data-testid="action-save"]').click();
  await row(/pricing page/).locator('[data-testid="action-owner"]', { hasText: 'Dana' }).waitFor();
  const saved = (await apiItems()).find((i) => /pricing page/.test(i.item))!;
  assert.deepEqual([saved.owner, saved.dueDate], ['Dana', '2026-03-20']);

  await row(/handover doc/).locator('[data-testid="action-done"]').check();
  await row(/handover doc/).waitFor({ state: 'detached' });
  assert.match((await byTestId(page, 'action-announce').textContent()) ?? '', /as done/);
  assert.ok(!(await apiItems()).some((i) => /handover doc/.test(i.item)), 'no longer open');
  const done = (await t.request('GET', '/api/v1/action-items?status=done', { key })).body.data;
  assert.equal(done.length, 1);
  assert.match(done[0].item, /handover doc/);
  await screenshot(page, 'action-items-after-edits');
  assert.deepEqual(pageErrors, []);
});
