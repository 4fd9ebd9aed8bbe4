// A segment holding one enormous "word" (no spaces) must cost analysis about what the same number
// of bytes of ordinary speech costs: stemming is quadratic in a token's length, so long tokens are
// cut for analysis only, and the stored transcript keeps every character.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

const SIZE = 50_000;
// Letters that exercise the stemmer's suffix rules, with no space anywhere.
const LONG_TOKEN = 'organisationalisingness'.repeat(Math.ceil(SIZE / 23)).slice(0, SIZE);
const ORDINARY = 'we should review the organisational budget for next quarter and agree the owners. '.repeat(Math.ceil(SIZE / 84)).slice(0, SIZE);

function meeting(big: string) {
  const speakers = ['Alice', 'Bob', 'Sarah'];
  const segments = Array.from({ length: 12 }, (_, i) => ({
    speaker: speakers[i % 3],
    text: i === 5 ? big : `Point ${i}: let's review item ${i} of the plan and agree the next step.`,
    timestamp: new Date(Date.parse('2026-03-18T14:00:00Z') + i * 60_000).toISOString(),
  }));
  return { title: 'Planning', startTime: '2026-03-18T14:00:00Z', segments };
}

describe(`analysis of segments with very long tokens (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  before(async () => {
    t = await startTestApp();
    key = (await t.user('professional')).key;
  });
  after(async () => t?.close());

  async function create(big: string): Promise<string> {
    const r = await t.request('POST', '/api/v1/conversations', { key, body: meeting(big) });
    assert.equal(r.status, 200, r.text);
    return r.body.data.id;
  }

  async function timed(path: string): Promise<number> {
    const started = performance.now();
    const r = await t.request('POST', path, { key, body: {} });
    assert.equal(r.status, 200, r.text);
    return performance.now() - started;
  }

  test('key points and feedback take about as long as for ordinary text of the same size; the transcript is unchanged', async () => {
    const ordinary = await create(ORDINARY);
    const hostile = await create(LONG_TOKEN);
    // Warm-up, so that neither side pays for starting the engine.
    await timed(`/api/v1/conversations/${await create('Just a warm-up.')}/keypoints`);

    for (const op of ['keypoints', 'feedback']) {
      const baseline = await timed(`/api/v1/conversations/${ordinary}/${op}`);
      const long = await timed(`/api/v1/conversations/${hostile}/${op}`);
      assert.ok(long < 5 * baseline, `${op}: ${Math.round(long)} ms with a ${SIZE}-character token, ${Math.round(baseline)} ms for ordinary text`);
    }

    const transcript = await t.request('GET', `/api/v1/conversations/${hostile}/transcript`, { key });
    assert.equal(transcript.status, 200, transcript.text);
    assert.ok(transcript.text.includes(LONG_TOKEN), 'the stored text keeps the whole token');
  });
});
