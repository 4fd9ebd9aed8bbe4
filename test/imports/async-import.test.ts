import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { startWorkers } from '../../src/workers.js';

const zoom = readFileSync(new URL('../fixtures/transcripts/zoom-roadmap.vtt', import.meta.url));

describe(`asynchronous import (${dbLabel})`, () => {
  let t: TestApp;
  let stop: () => Promise<void>;
  before(async () => {
    t = await startTestApp();
    stop = await startWorkers(t.container);
  });
  after(async () => {
    await stop();
    await t.close();
  });

  async function upload(key: string, name: string, data: Buffer | string) {
    const form = new FormData();
    form.append('startTime', '2026-03-18T14:00:00.000Z');
    form.append('file', new Blob([data]), name);
    return t.request('POST', '/api/v1/conversations/import?async=true', { key, raw: form });
  }

  async function waitFor(key: string, id: string, status: string) {
    for (let i = 0; i < 100; i++) {
      const r = await t.request('GET', `/api/v1/conversations/${id}`, { key });
      if (r.body.data.status === status) return r.body.data;
      await new Promise((res) => setTimeout(res, 150));
    }
    throw new Error(`conversation ${id} never became ${status}`);
  }

  async function subscribe(userId: string) {
    await t.container.db
      .insertInto('webhooks')
      .values({ id: `wh_${userId}`, user_id: userId, url: 'https://hooks.example.com/x', events: JSON.stringify(['transcript.ready', 'transcript.failed']), secret: 'whsec_x' })
      .execute();
  }

  async function events(userId: string) {
    const rows = await t.container.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('user_id', '=', userId).execute();
    return rows.map((r) => JSON.parse(r.payload));
  }

  test('202 at once, then the transcript is filled and transcript.ready fires', async () => {
    const u = await t.user('professional');
    await subscribe(u.userId);
    const r = await upload(u.key, 'standup.vtt', zoom);
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.data.status, 'in_progress');
    assert.equal(r.body.data.segmentCount, 0);
    const id = r.body.data.id;
    const done = await waitFor(u.key, id, 'completed');
    assert.ok(done.segmentCount > 10);
    const transcript = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key });
    assert.equal(transcript.body.data.segments.length, done.segmentCount);
    assert.ok(transcript.body.data.segments[0].timestamp.startsWith('2026-03-18T14:00'));
    const ev = await events(u.userId);
    assert.deepEqual(ev.map((e) => e.event), ['transcript.ready']);
    assert.deepEqual(ev[0].data, { conversationId: id, segmentCount: done.segmentCount });
  });

  test('an unreadable file ends as abandoned with transcript.failed and the reason', async () => {
    const u = await t.user('professional');
    await subscribe(u.userId);
    const r = await upload(u.key, 'broken.vtt', 'WEBVTT\n\nthis is not a cue\n');
    assert.equal(r.status, 202, r.text);
    const id = r.body.data.id;
    const failed = await waitFor(u.key, id, 'abandoned');
    assert.equal(failed.segmentCount, 0);
    assert.equal(typeof failed.metadata.importError, 'string');
    const ev = await events(u.userId);
    assert.deepEqual(ev.map((e) => e.event), ['transcript.failed']);
    assert.equal(ev[0].data.conversationId, id);
    assert.equal(ev[0].data.error, failed.metadata.importError);
  });
});
