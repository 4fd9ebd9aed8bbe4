// The Speakers panel of the conversation page in a real browser against the real server: rename
// "Speaker 1" to a person and merge "Speaker 2" into an existing speaker; the transcript on the page
// and the API show the new names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { browserUnavailable, ensureDashboardBuilt, isCI, launch, screenshot, seriousA11yViolations } from './support.js';

declare const localStorage: any;

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

let t: TestApp;
let browser: Browser;
let page: Page;
let key = '';
let id = '';
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  t = await startTestApp();
  ({ key } = await t.user('professional'));
  const lines = [
    ['Speaker 1', 'Welcome, let us go through the launch checklist.'],
    ['Speaker 2', 'The store listing is ready for review.'],
    ['Bob', 'I will upload the screenshots tomorrow.'],
    ['Speaker 1', 'Thanks, we launch on Monday.'],
  ];
  const r = await t.request('POST', '/api/v1/conversations', {
    key,
    body: { title: 'Launch checklist', startTime: '2026-03-02T10:00:00Z', segments: lines.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.UTC(2026, 2, 2, 10, 0, i * 20)).toISOString() })) },
  });
  id = r.body.data.id;
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  await context.addInitScript((k) => localStorage.setItem('colloquy.apiKey', k), key);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await t?.close();
});

test(`[${dbLabel}] rename a speaker and merge another on the conversation page`, { skip }, async () => {
  await page.goto(`${t.url}/conversations/${id}`);
  const inputs = page.locator('[data-testid="speaker-name"]');
  await inputs.first().waitFor();
  assert.deepEqual(await inputs.evaluateAll((els: any[]) => els.map((e) => e.value)), ['Speaker 1', 'Speaker 2', 'Bob']);
  await page.getByLabel(/^Speaker 1/).fill('Alice Chen');
  await page.getByLabel(/^Speaker 2/).fill('Bob');
  await page.getByText('Saving merges speakers into: Bob.').waitFor();
  await page.locator('[data-testid="speakers-save"]').click();
  await page.getByText(/Saved\. Key points and feedback will be regenerated/).waitFor();
  assert.deepEqual(await inputs.evaluateAll((els: any[]) => els.map((e) => e.value)), ['Alice Chen', 'Bob']);
  // The transcript on the page is reloaded with the new names.
  await page.locator('#transcript').getByText('Alice Chen').first().waitFor();
  assert.equal(await page.locator('#transcript').getByText('Speaker 2').count(), 0);
  const api = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key });
  assert.deepEqual(api.body.data.segments.map((s: any) => s.speaker), ['Alice Chen', 'Bob', 'Bob', 'Alice Chen']);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page.locator('#speakers'), 'speakers-panel');
  assert.deepEqual(pageErrors, []);
});
