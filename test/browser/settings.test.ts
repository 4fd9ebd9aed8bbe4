// The settings page in a real browser (headless Chromium through playwright-core) against the
// real server and its workers: usage, API keys (create, use, revoke), webhooks against a real
// local receiver (secret, test sends, delivery log, replay with the same webhook-id) and an ICS
// calendar served locally. The screenshot lands in test-results/browser/ for a person to look at.
//
// The tests run in order and share one signed-in page. Without Chromium they are skipped on a
// developer machine (with a message naming `apt-get install chromium`) and fail on CI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWorkers } from '../../src/workers.js';
import { verifyWebhook } from '../../src/integrations/webhooks/signing.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { browserUnavailable, ensureDashboardBuilt, isCI, launch, screenshot, seriousA11yViolations } from './support.js';

// The callbacks given to page.evaluate run in the browser; the project's typecheck has no DOM lib.
declare const document: any;

const unavailable = browserUnavailable();
if (unavailable && !isCI) console.log(`# browser tests skipped: ${unavailable}`);
const skip = unavailable && !isCI ? unavailable : false;

const WAIT = 15_000;
const DESKTOP = { width: 1280, height: 800 };
const EVENT_TITLE = 'Roadmap sync with Priya';
const MEET_LINK = 'https://meet.google.com/abc-defg-hij';

let t: TestApp;
let stopWorkers: (() => Promise<void>) | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = '';
let webhookSecret = '';
const pageErrors: string[] = [];

// A webhook receiver: 500 to its first request, 200 after; every request is kept.
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}
const received: Received[] = [];
let receiver: Server;
let receiverPort = 0;

// An ICS feed with one event tomorrow (an attendee, a Meet link), a one-day all-day event in three
// days and a two-day all-day event in five (DTEND is exclusive: the day after the last).
const ALL_DAY_TITLE = 'Company offsite';
const MULTI_DAY_TITLE = 'Planning conference';
let icsServer: Server;
let icsPort = 0;
let icsRequests = 0;

function icsStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The UTC calendar day `days` from the start of the run, as `YYYYMMDD` for ICS and `YYYY-MM-DD`. */
const RUN_START = Date.now();
function dayFromNow(days: number): { ics: string; iso: string } {
  const iso = new Date(RUN_START + days * 24 * 3600_000).toISOString().slice(0, 10);
  return { ics: iso.replace(/-/g, ''), iso };
}

/** A `YYYY-MM-DD` day as the dashboard's formatCalendarDate shows it in en-US. */
function shownDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

function icsFeed(): string {
  const start = new Date(Date.now() + 24 * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 3600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Colloquy tests//EN',
    'BEGIN:VEVENT',
    'UID:roadmap-sync-1@colloquy.test',
    `DTSTAMP:${icsStamp(new Date())}`,
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(end)}`,
    `SUMMARY:${EVENT_TITLE}`,
    'ORGANIZER;CN=Dana Whitfield:mailto:dana@example.com',
    'ATTENDEE;CN=Priya Raman;ROLE=REQ-PARTICIPANT:mailto:priya@example.com',
    `X-GOOGLE-CONFERENCE:${MEET_LINK}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:offsite-1@colloquy.test',
    `DTSTAMP:${icsStamp(new Date())}`,
    `DTSTART;VALUE=DATE:${dayFromNow(3).ics}`,
    `DTEND;VALUE=DATE:${dayFromNow(4).ics}`,
    `SUMMARY:${ALL_DAY_TITLE}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:conference-1@colloquy.test',
    `DTSTAMP:${icsStamp(new Date())}`,
    `DTSTART;VALUE=DATE:${dayFromNow(5).ics}`,
    `DTEND;VALUE=DATE:${dayFromNow(7).ics}`,
    `SUMMARY:${MULTI_DAY_TITLE}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function until(what: string, check: () => boolean, ms = WAIT): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const byTestId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

before(async () => {
  if (skip) return;
  if (unavailable) throw new Error(`CI=true and ${unavailable}`);
  await ensureDashboardBuilt();

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = received.length === 0 ? 500 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
    });
  });
  receiverPort = await listen(receiver);

  icsServer = createServer((req, res) => {
    icsRequests++;
    if (req.url !== '/team.ics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(icsFeed());
  });
  icsPort = await listen(icsServer);

  t = await startTestApp({
    env: {
      COLLOQUY_WEBHOOKS_ALLOW_PRIVATE: 'true',
      COLLOQUY_CALENDAR_ALLOW_PRIVATE: 'true',
      COLLOQUY_WEBHOOK_RETRY_SCHEDULE: '0,1,1',
    },
  });
  stopWorkers = await startWorkers(t.container);
  ({ key } = await t.user('professional'));

  browser = await launch();
  // West of UTC, so an all-day date read as UTC midnight would show the day before.
  context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'America/Los_Angeles' });
  context.setDefaultTimeout(WAIT);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await stopWorkers?.();
  await t?.close();
  receiver?.closeAllConnections();
  icsServer?.closeAllConnections();
  await new Promise((r) => (receiver ? receiver.close(r) : r(null)));
  await new Promise((r) => (icsServer ? icsServer.close(r) : r(null)));
});

test(`[${dbLabel}] signs in and opens Settings: usage shows the plan and AI credits`, { skip }, async () => {
  await page.goto(t.url + '/');
  await byTestId(page, 'api-key-input').fill(key);
  await byTestId(page, 'sign-in-button').click();
  await page.waitForURL(/\/conversations$/);
  await byTestId(page, 'nav-settings').click();
  await page.waitForURL(/\/settings$/);

  const tier = ((await byTestId(page, 'usage-tier').textContent()) ?? '').replace(/\s+/g, ' ');
  assert.match(tier, /Plan Professional/, `the plan: ${tier}`);
  const credits = ((await byTestId(page, 'usage-ai-credits').textContent()) ?? '').replace(/\s+/g, ' ');
  assert.match(credits, /AI credits this period/);
  assert.match(credits, /(\d+ of \d+ left \(0 used\))|(0 used · unlimited)/, `AI credits: ${credits}`);
});

test(`[${dbLabel}] time zone: a bad zone is refused, a good one is saved to the profile`, { skip }, async () => {
  // The profile has loaded (the field is filled from it) before anything is typed.
  await page.locator('#timezone [data-testid="timezone-current"]', { hasText: 'UTC' }).waitFor();
  assert.equal(await byTestId(page, 'timezone-input').inputValue(), 'UTC');
  await byTestId(page, 'timezone-input').fill('Mars/Olympus_Mons');
  await byTestId(page, 'timezone-save').click();
  await page.locator('#timezone [data-testid="error-message"]').waitFor();
  await byTestId(page, 'timezone-input').fill('Europe/Berlin');
  await byTestId(page, 'timezone-save').click();
  await page.locator('#timezone [role="status"]', { hasText: 'Time zone saved' }).waitFor();
  await page.locator('#timezone [data-testid="timezone-current"]', { hasText: 'Europe/Berlin' }).waitFor();
  assert.equal(await page.locator('#timezone [data-testid="error-message"]').count(), 0, 'the earlier error is gone');
  const profile = await t.request('GET', '/api/v1/user/profile', { key });
  assert.equal(profile.body.data.profile.timezone, 'Europe/Berlin');
});

test(`[${dbLabel}] API keys: a new key is shown once, works, and gets 401 once revoked`, { skip }, async () => {
  await byTestId(page, 'key-name').fill('Browser test key');
  await byTestId(page, 'key-create').click();
  const value = byTestId(page, 'new-key-value');
  await value.waitFor();
  const newKey = ((await value.textContent()) ?? '').trim();
  assert.match(newKey, /^convo_\S+$/, `the new key: ${newKey}`);
  assert.notEqual(newKey, key);

  const profile = () => fetch(`${t.url}/api/v1/user/profile`, { headers: { authorization: `Bearer ${newKey}` } });
  const ok = await profile();
  assert.equal(ok.status, 200, `the new key works: ${await ok.text()}`);

  // Its row in the table (the id is not on screen; find it through the API with the first key).
  const keys = await t.request('GET', '/api/v1/keys', { key });
  const row = keys.body.data.find((k: { name: string }) => k.name === 'Browser test key');
  assert.ok(row, `the key is listed: ${keys.text}`);
  await byTestId(page, `key-row-${row.id}`).waitFor();
  assert.ok(!(await byTestId(page, 'keys-table').innerText()).includes(newKey.slice(-12)), 'the table shows only the prefix');

  // "Hide" the one-time value, then revoke in the UI.
  await page.locator('#keys').getByRole('button', { name: /I have stored it/ }).click();
  assert.equal(await value.count(), 0, 'the full key is gone once hidden');
  // Revoking asks first; Cancel changes nothing.
  await byTestId(page, `key-revoke-${row.id}`).click();
  const question = byTestId(page, `key-revoke-${row.id}-question`);
  assert.doesNotMatch(await question.innerText(), /signed in with/, 'another key: no sign-out warning');
  await byTestId(page, `key-revoke-${row.id}-cancel`).click();
  assert.equal((await profile()).status, 200, 'cancelled: the key still works');
  await byTestId(page, `key-revoke-${row.id}`).click();
  await byTestId(page, `key-revoke-${row.id}-confirm`).click();
  await page.locator(`[data-testid="key-row-${row.id}"]`, { hasText: 'Revoked' }).waitFor();
  assert.equal(await byTestId(page, `key-revoke-${row.id}`).count(), 0, 'no Revoke button on a revoked key');

  const denied = await profile();
  assert.equal(denied.status, 401, `the revoked key is refused: ${await denied.text()}`);
  // This browser's own key still works (the page is still signed in).
  assert.equal((await t.request('GET', '/api/v1/user/profile', { key })).status, 200);
});

test(`[${dbLabel}] webhooks: secret once, test 500 then 200, delivery log, replay with the same webhook-id`, { skip }, async () => {
  const url = `http://127.0.0.1:${receiverPort}/hook`;
  await byTestId(page, 'webhook-url').fill(url);
  // conversation.created is ticked by default; add another.
  assert.equal(await byTestId(page, 'webhook-event-conversation.created').isChecked(), true);
  await byTestId(page, 'webhook-event-conversation.keypoints.ready').check();
  await byTestId(page, 'webhook-create').click();

  const secret = byTestId(page, 'webhook-secret');
  await secret.waitFor();
  webhookSecret = ((await secret.textContent()) ?? '').trim();
  assert.match(webhookSecret, /^whsec_\S+$/, `the secret: ${webhookSecret}`);

  const hooks = await t.request('GET', '/api/v1/webhooks', { key });
  assert.equal(hooks.body.data.length, 1, hooks.text);
  const hook = hooks.body.data[0];
  assert.equal(hook.url, url);
  assert.deepEqual(hook.events, ['conversation.created', 'conversation.keypoints.ready']);
  assert.ok(!JSON.stringify(hooks.body).includes(webhookSecret), 'the list never shows the secret');
  const item = byTestId(page, `webhook-${hook.id}`);
  await item.waitFor();
  assert.match(await item.innerText(), /conversation\.keypoints\.ready/);

  // First test: the receiver answers 500.
  const result = byTestId(page, `webhook-test-result-${hook.id}`);
  await byTestId(page, `webhook-test-${hook.id}`).click();
  await result.waitFor();
  assert.equal((await result.innerText()).trim(), 'Test not delivered — endpoint answered HTTP 500');
  assert.equal(received.length, 1);

  // Second test: 200.
  await byTestId(page, `webhook-test-${hook.id}`).click();
  await page.locator(`[data-testid="webhook-test-result-${hook.id}"]`, { hasText: 'Test delivered' }).waitFor();
  assert.equal((await result.innerText()).trim(), 'Test delivered — endpoint answered HTTP 200');
  assert.equal(received.length, 2);

  // Every request is signed with the secret shown once.
  for (const r of received) {
    assert.equal(r.headers['x-convo-event'], 'webhook.test');
    verifyWebhook(webhookSecret, r.headers as Record<string, string>, r.body);
  }
  const [failedId, deliveredId] = received.map((r) => String(r.headers['webhook-id']));
  assert.notEqual(failedId, deliveredId, 'two test sends are two deliveries');

  // Testing opens the delivery log: two rows, newest first, with status and response code.
  const log = page.locator(`[data-testid="delivery-log"][data-webhook-id="${hook.id}"]`);
  await log.locator('tbody tr').nth(1).waitFor();
  const rows = await log.locator('tbody tr').evaluateAll((trs: any[]) =>
    trs.map((tr) => ({ testid: tr.dataset.testid, status: tr.dataset.status, cells: Array.from(tr.cells as any[]).map((c: any) => c.innerText.trim()) })),
  );
  assert.deepEqual(
    rows.map((r) => [r.testid, r.status, r.cells[0], r.cells[1], r.cells[2], r.cells[3]]),
    [
      [`delivery-row-${deliveredId}`, 'delivered', 'webhook.test', 'Delivered', '1', '200'],
      [`delivery-row-${failedId}`, 'failed', 'webhook.test', 'Failed', '1', '500'],
    ],
  );

  // Replay the failed one: the worker sends it again under the same webhook-id, and it lands.
  await byTestId(page, `delivery-replay-${failedId}`).click();
  await until('the replayed delivery at the receiver', () => received.length >= 3);
  const replayed = received[2];
  assert.equal(replayed.headers['webhook-id'], failedId, 'the replay keeps the webhook-id');
  assert.equal(replayed.body, received[0].body, 'the replay sends the same bytes');
  verifyWebhook(webhookSecret, replayed.headers as Record<string, string>, replayed.body);
  assert.equal(replayed.status, 200);

  // The log, refreshed, shows the replayed delivery delivered on its second attempt.
  const replayedRow = byTestId(page, `delivery-row-${failedId}`);
  const deadline = Date.now() + WAIT;
  while ((await replayedRow.getAttribute('data-status')) !== 'delivered') {
    if (Date.now() > deadline) throw new Error(`the replayed row is still ${await replayedRow.getAttribute('data-status')}`);
    await page.waitForTimeout(100);
    await byTestId(page, 'delivery-refresh').click();
  }
  const cells = await replayedRow.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 4).map((c) => c.trim()), ['webhook.test', 'Delivered', '2', '200']);
  assert.equal(received.length, 3, 'nothing else was sent');
});

test(`[${dbLabel}] deleting a webhook asks first; Cancel keeps it, Yes deletes it`, { skip }, async () => {
  const hooks = async () => (await t.request('GET', '/api/v1/webhooks', { key })).body.data as { id: string }[];
  const [hook] = await hooks();
  await byTestId(page, `webhook-delete-${hook.id}`).click();
  assert.match(await byTestId(page, `webhook-delete-${hook.id}-question`).innerText(), /Delete the webhook to https?:\/\//);
  await page.keyboard.press('Escape');
  await byTestId(page, `webhook-delete-${hook.id}`).waitFor();
  assert.equal((await hooks()).length, 1, 'Escape deleted nothing');
  await byTestId(page, `webhook-delete-${hook.id}`).click();
  await byTestId(page, `webhook-delete-${hook.id}-confirm`).click();
  await byTestId(page, `webhook-${hook.id}`).waitFor({ state: 'detached' });
  assert.equal((await hooks()).length, 0);
});

test(`[${dbLabel}] calendar: an ICS feed URL is saved and its upcoming event is listed`, { skip }, async () => {
  await byTestId(page, 'calendar-not-connected').waitFor();
  const feed = `http://127.0.0.1:${icsPort}/team.ics`;
  await byTestId(page, 'calendar-type-ics').check();
  await byTestId(page, 'calendar-ics-url').fill(feed);
  await byTestId(page, 'calendar-save').click();
  await page.locator('#calendar [role="status"]', { hasText: 'Calendar saved' }).waitFor();
  assert.match(await byTestId(page, 'calendar-current').innerText(), new RegExp(`Connected to an ICS feed: ${feed.replace(/[.]/g, '\\.')}`));

  const event = byTestId(page, 'calendar-event').filter({ hasText: EVENT_TITLE });
  await event.waitFor();
  assert.equal(await byTestId(page, 'calendar-event').count(), 3);
  const text = (await event.innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(EVENT_TITLE), `the event title: ${text}`);
  assert.match(text, /Attendees: .*Priya Raman/);
  assert.equal(await event.getByRole('link', { name: 'Join meeting' }).getAttribute('href'), MEET_LINK);
  assert.ok(icsRequests >= 1, 'the server fetched the feed');

  // All-day events show their own day(s) in the viewer's west-of-UTC zone, with no times.
  const oneDay = (await byTestId(page, 'calendar-event').filter({ hasText: ALL_DAY_TITLE }).locator('time').innerText()).trim();
  assert.equal(oneDay, shownDay(dayFromNow(3).iso), `the one-day event: ${oneDay}`);
  const multiDay = (await byTestId(page, 'calendar-event').filter({ hasText: MULTI_DAY_TITLE }).locator('time').innerText()).trim();
  assert.equal(multiDay, `${shownDay(dayFromNow(5).iso)} – ${shownDay(dayFromNow(6).iso)}`, `the two-day event: ${multiDay}`);
  assert.doesNotMatch(`${oneDay} ${multiDay}`, /\d:\d\d/, 'no times on all-day events');
  assert.doesNotMatch(text, /\([A-Za-z_]+\/[A-Za-z_]+\)|\(UTC\)/, 'no event-zone label next to times in the viewer\'s zone');
});

test(`[${dbLabel}] the settings page in use: screenshot, axe, no errors`, { skip }, async () => {
  await page.waitForFunction(() => document.querySelectorAll('#main [role="status"].busy').length === 0);
  const errors = await page.locator('#main [data-testid="error-message"]').allInnerTexts();
  assert.deepEqual(errors, [], 'no error boxes on the settings page');
  await page.evaluate(() => document.defaultView.scrollTo(0, 0));
  await screenshot(page, '11-settings-in-use');
  const violations = await seriousA11yViolations(page);
  assert.equal(violations.length, 0, `axe-core found serious/critical violations:\n${violations.join('\n')}`);
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
