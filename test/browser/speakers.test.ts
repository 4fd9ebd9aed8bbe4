// In a real browser against the real server: the Speakers panel of the conversation page renames
// "Speaker 1" to a person and merges "Speaker 2" into an existing speaker (the transcript on the page
// and the API show the new names); and a recording dropped on the import page is transcribed through
// a local OpenAI-protocol speech-to-text server while its conversation page is open: the page shows
// the transcript (or the readable error) when the job ends, without being reloaded, and stops
// asking once it is left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startWorkers } from '../../src/workers.js';
import { startFakeStt, type FakeStt, type SttResponder } from '../../src/integrations/stt/testing/fake-stt-server.js';
import { AUDIO } from '../audio/support.js';
import { dbLabel } from '../helpers/db.js';
import { browserUnavailable, ensureDashboardBuilt, isCI, launch, screenshot, seriousA11yViolations, signInContext } from './support.js';

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

let t: TestApp;
let fake: FakeStt;
let stopWorkers: (() => Promise<void>) | undefined;
let dataDir = '';
let browser: Browser;
let page: Page;
let key = '';
let id = '';
const pageErrors: string[] = [];
let script: SttResponder | null = null;

/** The speech-to-text server holds its answer until `release` is called. */
function holdAnswer(reply: Awaited<ReturnType<SttResponder>> = { hear: true }) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  script = async () => {
    await gate;
    return reply;
  };
  return release;
}

/** Picks a recording on the import page, saves it and waits for its conversation page; returns the id. */
async function importRecording(file: string): Promise<string> {
  await page.goto(`${t.url}/import`);
  await page.locator('[data-testid="import-file-input"]').setInputFiles(join(AUDIO, file));
  await page.locator('[data-testid="import-format"]').waitFor();
  await page.locator('[data-testid="import-save"]').click();
  await page.waitForURL(/\/conversations\/sess_/);
  return decodeURIComponent(page.url().split('/conversations/')[1]!.split(/[?#]/)[0]!);
}

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();
  fake = await startFakeStt({ respond: (r, n) => (script ? script(r, n) : { hear: true }) });
  dataDir = mkdtempSync(join(tmpdir(), 'colloquy-browser-stt-'));
  t = await startTestApp({ env: { COLLOQUY_DATA_DIR: dataDir, COLLOQUY_STT_PROVIDER: 'openai-compatible', COLLOQUY_STT_BASE_URL: fake.url, COLLOQUY_STT_MODEL: 'whisper-1' } });
  stopWorkers = await startWorkers(t.container);
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
  await signInContext(context, t.url, key);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await stopWorkers?.();
  await t?.close();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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
  const rows = page.locator('[data-testid="transcript"] [data-testid^="segment-"]');
  await rows.filter({ hasText: 'Alice Chen' }).first().waitFor();
  assert.equal(await rows.filter({ hasText: 'Speaker 2' }).count(), 0);
  const api = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key });
  assert.deepEqual(api.body.data.segments.map((s: any) => s.speaker), ['Alice Chen', 'Bob', 'Bob', 'Alice Chen']);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page.locator('#speakers'), 'speakers-panel');
  assert.deepEqual(pageErrors, []);
});

test(`[${dbLabel}] a recording imported on the import page: its page shows the transcript once transcribed, without reloading`, { skip }, async () => {
  const release = holdAnswer();
  try {
    await page.goto(`${t.url}/import`);
    await page.locator('[data-testid="import-file-input"]').setInputFiles(join(AUDIO, 'standup.mp3'));
    assert.equal(await page.locator('[data-testid="import-format"]').textContent(), 'MP3');
    await page.locator('[data-testid="import-save"]').click();
    await page.waitForURL(/\/conversations\/sess_/);
    // The speech-to-text server has not answered yet: the page says the recording is being transcribed.
    await page.locator('[data-testid="transcription-processing"]').waitFor();
    await page.locator('[data-testid="transcript-pending"]').waitFor();
    assert.equal(await page.locator('[data-testid="speaker-name"]').count(), 0);
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
  } finally {
    release();
  }
  await page.locator('#transcript').getByText('Speaker').first().waitFor();
  await page.locator('[data-testid="speaker-name"]').first().waitFor();
  assert.deepEqual(await page.locator('[data-testid="speaker-name"]').evaluateAll((els: any[]) => els.map((e) => e.value)), ['Speaker']);
  assert.equal(await page.evaluate(() => (globalThis as any).__sameDocument), true, 'the page was not reloaded');
  assert.equal(await page.locator('[data-testid="transcription-processing"]').count(), 0);
  assert.equal(await page.locator('[data-testid="transcript-pending"]').count(), 0);
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(await seriousA11yViolations(page), []);
  assert.deepEqual(pageErrors, []);
});

test(`[${dbLabel}] a recording whose transcription fails: its page shows the provider's readable error`, { skip }, async () => {
  const release = holdAnswer({ status: 400, body: { error: { message: 'Invalid file format.', type: 'invalid_request_error' } } });
  try {
    await importRecording('hello.wav');
    await page.locator('[data-testid="transcription-processing"]').waitFor();
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
  } finally {
    release();
  }
  const failed = page.locator('[data-testid="transcription-failed"]');
  await failed.waitFor();
  assert.match((await failed.textContent()) ?? '', /The recording could not be transcribed.*answered 400: Invalid file format\./);
  assert.equal(await page.evaluate(() => (globalThis as any).__sameDocument), true, 'the page was not reloaded');
  assert.equal(await page.locator('[data-testid="transcription-processing"]').count(), 0);
  assert.deepEqual(await seriousA11yViolations(page), []);
  assert.deepEqual(pageErrors, []);
});

test(`[${dbLabel}] a conversation page left while transcribing stops asking about it`, { skip }, async () => {
  const release = holdAnswer();
  try {
    const convId = await importRecording('hello.wav');
    await page.locator('[data-testid="transcription-processing"]').waitFor();
    const path = `/api/v1/conversations/${encodeURIComponent(convId)}`;
    const polls: string[] = [];
    const onRequest = (req: { url(): string }) => {
      if (new URL(req.url()).pathname === path) polls.push(req.url());
    };
    // While the page is open it asks again (every 3 s)...
    const asked = page.waitForRequest((req) => new URL(req.url()).pathname === path, { timeout: 10_000 });
    await asked;
    // ...and once it is left (in the app, no reload), it no longer does: more than a polling period
    // passes without a request.
    await page.getByRole('link', { name: '← All conversations' }).click();
    await page.waitForURL(/\/conversations$/);
    page.on('request', onRequest);
    await new Promise((r) => setTimeout(r, 4000));
    page.off('request', onRequest);
    assert.deepEqual(polls, []);
  } finally {
    release();
  }
  assert.deepEqual(pageErrors, []);
});
