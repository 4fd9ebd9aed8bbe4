// POST /conversations/import on real-world-shaped transcript files (Zoom, Teams and Meet WebVTT, SRT,
// JSON segments, plain text): speakers, segment counts, timestamps = startTime + cue offset,
// ?dryRun=true writing nothing, and every way an upload can be wrong.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertError, assertValidation, countRows, fixture, uploadForm } from './support.js';

const START = '2026-03-18T14:00:00.000Z';
const at = (offsetMs: number, start = START) => new Date(Date.parse(start) + offsetMs).toISOString();

/** Start offsets (ms) of every cue timing line, read straight from the file. */
function cueOffsets(text: string): number[] {
  return [...text.matchAll(/^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3}) -->/gm)].map(
    (m) => ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]),
  );
}

interface Expected {
  format: string;
  title: string;
  speakers: string[];
  segmentCount: number;
  /** Expected [index, speaker, offset ms, text fragment] checks. */
  spot: Array<[number, string, number, string]>;
  /** When every cue is one segment, all offsets come from the file itself. */
  offsetsFromCues?: boolean;
  lastOffset: number;
  /** End of the last cue (ms): the conversation's endTime. */
  lastEnd: number;
}

const FIXTURES: Record<string, Expected> = {
  'zoom-roadmap.vtt': {
    format: 'vtt',
    title: 'zoom-roadmap',
    speakers: ['Dana Whitfield', 'Marcus Oyelaran', 'Priya Raman', 'Tomás Herrera'],
    segmentCount: 15,
    offsetsFromCues: true,
    spot: [
      [0, 'Dana Whitfield', 2310, "Okay, I think we have everyone. Let's get started."],
      [4, 'Marcus Oyelaran', 24010, "R&D couldn't run the contract tests"], // &amp; decoded
      [6, 'Priya Raman', 36600, 'https://www.figma.com/file/abc123/checkout-v2'],
      // "Note:" inside a cue is text, and the wrapped second line joins the first.
      [8, 'Marcus Oyelaran', 48500, 'Note: the staging environment is frozen until Friday, so regression'],
    ],
    lastOffset: 80100,
    lastEnd: 84900,
  },
  'teams-incident-review.vtt': {
    format: 'vtt',
    title: 'teams-incident-review',
    speakers: ['Lena Fischer', 'Sam Okafor', 'Alex Novak', 'Priya Shah'],
    segmentCount: 14,
    offsetsFromCues: true,
    spot: [
      [0, 'Lena Fischer', 3120, 'Good morning, everyone.'],
      [3, 'Sam Okafor', 17250, 'connection pool limit & a retry storm'],
      [9, 'Sam Okafor', 50020, 'jitter on the client, and a circuit breaker'],
      [11, 'Lena Fischer', 62900, 'with owners <and dates>.'],
    ],
    lastOffset: 73300,
    lastEnd: 76020,
  },
  'meet-onboarding-sync.vtt': {
    format: 'vtt',
    title: 'meet-onboarding-sync',
    speakers: ['Hannah Brooks', 'Raj Patel', 'Chloé Martin', 'Ben Carter'],
    // Meet's rolling captions repeat lines; the 10 ms echo cues are dropped, karaoke tags stripped,
    // and a cue with two voices becomes two segments.
    segmentCount: 15,
    spot: [
      [0, 'Hannah Brooks', 1000, 'Hi everyone, thanks for hopping on.'],
      [1, 'Hannah Brooks', 3410, 'This is the weekly customer onboarding sync.'],
      [2, 'Raj Patel', 7300, 'So Acme signed on Friday, and they want to go live in June.'],
      [6, 'Hannah Brooks', 24600, 'Okay.'],
      [7, 'Chloé Martin', 24600, 'I can send that today.'],
      [8, 'Chloé Martin', 27900, 'sandbox tenant & invite the admins.'],
    ],
    lastOffset: 54500,
    lastEnd: 57200,
  },
  'design-review.srt': {
    format: 'srt',
    title: 'design-review',
    speakers: ['Jordan Ellis', 'Keiko Tanaka', 'Malik Johnson'],
    segmentCount: 15,
    spot: [
      [0, 'Jordan Ellis', 840, "Alright, let's kick off the design review for the new dashboard."],
      [3, 'Keiko Tanaka', 11500, 'the usage panel moved to the top.'], // <i> removed
      [4, 'Keiko Tanaka', 17000, "It's what most admins check first"], // unlabelled cue continues the speaker
      [6, 'Keiko Tanaka', 25700, 'Not yet.'], // "- A: … / - B: …" dialogue cue
      [7, 'Malik Johnson', 25700, 'I can run that this week.'],
      [8, 'Jordan Ellis', 29600, 'Great. What about the empty state?'], // {\an8} removed
      [14, 'Keiko Tanaka', 55600, 'Same here.'], // <font> removed
    ],
    lastOffset: 55600,
    lastEnd: 58900,
  },
  'discovery-call.json': {
    format: 'json',
    title: 'Discovery call — Northwind Support',
    speakers: ['Olivia Grant', 'Daniel Cho', 'Marta Silva'],
    segmentCount: 14,
    spot: [
      [0, 'Olivia Grant', 500, 'Thanks for taking the call, Daniel.'],
      [5, 'Marta Silva', 29300, 'Do you have any SLAs'],
      [13, 'Daniel Cho', 77500, 'take it to our CFO.'],
    ],
    lastOffset: 77500,
    lastEnd: 82300,
  },
  'vendor-evaluation.txt': {
    format: 'text',
    title: 'Vendor evaluation — observability platform',
    speakers: ['Grace Kim', 'Omar Haddad', 'Nina Petrova'],
    segmentCount: 13,
    spot: [
      [0, 'Grace Kim', 4000, 'two vendors for the observability platform.'],
      [5, 'Omar Haddad', 42000, 'Note: that\'s exactly when we need the data most.'], // "Note:" is not a speaker
      [12, 'Grace Kim', 98000, 'share it by Friday.'],
    ],
    lastOffset: 98000,
    lastEnd: 98000,
  },
};

describe(`POST /conversations/import (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('professional'));
  });
  after(async () => {
    await t?.close();
  });

  const upload = (form: FormData, qs = '') => t.request('POST', `/api/v1/conversations/import${qs}`, { key, raw: form });

  for (const [name, exp] of Object.entries(FIXTURES)) {
    test(`${name}: speakers, segments and timestamps`, async () => {
      const before = await countRows(t.container.db);
      const preview = assertData(await upload(uploadForm(name, fixture(name), { startTime: START }), '?dryRun=true'), 200);
      assert.deepEqual(await countRows(t.container.db), before, 'dryRun wrote nothing');
      assert.equal(preview.format, exp.format);
      assert.equal(preview.title, exp.title);
      assert.equal(preview.startTime, START);
      assert.deepEqual(preview.warnings, []);

      const res = await upload(uploadForm(name, fixture(name), { startTime: START }));
      const c = assertData(res, 201);
      assert.match(c.id, /^sess_/);
      assert.equal(c.kind, 'meeting');
      assert.equal(c.status, 'completed');
      assert.equal(c.title, exp.title);
      assert.equal(c.segmentCount, exp.segmentCount);
      assert.equal(c.startTime, START);
      assert.equal(c.endTime, at(exp.lastEnd), 'endTime = startTime + end of the last cue');
      assert.equal(c.duration, Math.round(exp.lastEnd / 60_000));
      assert.deepEqual(c.metadata, { source: { type: 'import', format: exp.format, filename: name } });
      const after = await countRows(t.container.db);
      assert.equal(after.conversations, before.conversations + 1);
      assert.equal(after.segments, before.segments + exp.segmentCount);

      const segs = assertData(await t.request('GET', `/api/v1/conversations/${c.id}/transcript`, { key })).segments as any[];
      assert.equal(segs.length, exp.segmentCount);
      const speakers = [...new Set(segs.map((s) => s.speaker))];
      assert.deepEqual(speakers, exp.speakers);
      for (const [i, speaker, offset, fragment] of exp.spot) {
        assert.equal(segs[i].speaker, speaker, `segment ${i} speaker`);
        assert.equal(segs[i].timestamp, at(offset), `segment ${i} timestamp = startTime + ${offset} ms`);
        assert.ok(segs[i].text.includes(fragment), `segment ${i}: ${JSON.stringify(segs[i].text)} contains ${JSON.stringify(fragment)}`);
      }
      if (exp.offsetsFromCues) {
        assert.deepEqual(
          segs.map((s) => s.timestamp),
          cueOffsets(fixture(name).toString('utf8')).map((o) => at(o)),
        );
      }
      assert.equal(segs.at(-1).timestamp, at(exp.lastOffset));
      for (let i = 1; i < segs.length; i++) assert.ok(segs[i].timestamp >= segs[i - 1].timestamp, `timestamps in order at ${i}`);
      for (const s of segs) {
        assert.ok(!/<\/?[a-z][^>]*>|\{\\|&amp;|&nbsp;|-->/i.test(s.text.replace('<and dates>', '')), `no markup left: ${s.text}`);
        assert.equal(s.text, s.text.trim());
        assert.ok(s.text.length > 0);
      }
      // The saved transcript is what the preview showed.
      assert.deepEqual(
        segs.map((s) => [s.speaker, s.text, s.timestamp]),
        preview.segments.map((s: any) => [s.speaker, s.text, s.timestamp]),
      );
    });
  }

  test('title, kind and startTime fields; without startTime the offsets count from now', async () => {
    const c = assertData(await upload(uploadForm('zoom-roadmap.vtt', fixture('zoom-roadmap.vtt'), { title: 'Q3 roadmap review', startTime: '2026-05-01T09:30:00+02:00' })), 201);
    assert.equal(c.title, 'Q3 roadmap review');
    assert.equal(c.startTime, '2026-05-01T07:30:00.000Z');
    const segs = assertData(await t.request('GET', `/api/v1/conversations/${c.id}/transcript`, { key })).segments as any[];
    assert.equal(segs[0].timestamp, '2026-05-01T07:30:02.310Z');

    const t0 = Date.now();
    const d = assertData(await upload(uploadForm('discovery-call.json', fixture('discovery-call.json'))), 201);
    const start = Date.parse(d.startTime);
    assert.ok(start >= t0 - 1000 && start <= Date.now() + 1000, 'starts now');
    const ds = assertData(await t.request('GET', `/api/v1/conversations/${d.id}/transcript`, { key })).segments as any[];
    assert.equal(Date.parse(ds[0].timestamp) - start, 500);
    assert.equal(Date.parse(ds[1].timestamp) - start, 7200);

    const chat = assertData(await upload(uploadForm('vendor-evaluation.txt', fixture('vendor-evaluation.txt'), { kind: 'chat' })), 201);
    assert.equal(chat.kind, 'chat');
  });

  test('the format comes from the content: a Teams export named .txt is still WebVTT; CRLF files parse the same', async () => {
    const p = assertData(await upload(uploadForm('meeting.txt', fixture('teams-incident-review.vtt'), { startTime: START }, 'text/plain'), '?dryRun=true'));
    assert.equal(p.format, 'vtt');
    assert.equal(p.segments.length, 14);
    const crlf = fixture('design-review.srt').toString('utf8').replace(/\r?\n/g, '\r\n');
    const q = assertData(await upload(uploadForm('design-review.srt', crlf, { startTime: START }), '?dryRun=true'));
    const lf = assertData(await upload(uploadForm('design-review.srt', fixture('design-review.srt'), { startTime: START }), '?dryRun=true'));
    assert.deepEqual(q.segments, lf.segments);
  });

  test('imported transcripts are searchable', async () => {
    assertData(await upload(uploadForm('teams-incident-review.vtt', fixture('teams-incident-review.vtt'), { title: 'Checkout outage review' })), 201);
    const found = await t.request('GET', '/api/v1/conversations?search=PagerDuty', { key });
    assert.equal(found.status, 200);
    assert.ok(found.body.data.some((c: any) => c.title === 'Checkout outage review'));
  });

  test('a caption file over the segment limit keeps every word: one speaker\'s consecutive cues become one segment', async () => {
    const cue = (i: number, speaker: string) => {
      const at = (ms: number) => new Date(ms).toISOString().slice(11, 23);
      return `${at(i * 1500)} --> ${at(i * 1500 + 1400)}\n<v ${speaker}>word${i} said</v>\n`;
    };
    // 24,000 cues, the speaker changing every 8: 3,000 turns.
    const speakers = ['Alice', 'Bob', 'Chen'];
    const vtt = 'WEBVTT\n\n' + Array.from({ length: 24_000 }, (_, i) => cue(i, speakers[Math.floor(i / 8) % 3])).join('\n');
    const c = assertData(await upload(uploadForm('all-day.vtt', vtt, { startTime: START })), 201);
    assert.equal(c.segmentCount, 3_000);
    const { segments } = assertData(await t.request('GET', `/api/v1/conversations/${c.id}/transcript`, { key }));
    assert.equal(segments[1].speaker, 'Bob');
    assert.equal(segments[1].text, Array.from({ length: 8 }, (_, k) => `word${8 + k} said`).join(' '));
    assert.equal(segments[1].timestamp, new Date(Date.parse(START) + 8 * 1500).toISOString(), 'timed by its first cue');
    assert.equal(segments.map((s: { text: string }) => s.text).join(' ').split(' ').length, 48_000, 'every word kept');
    // A speaker change on every cue cannot be joined: 413, saying how to split.
    const before = await countRows(t.container.db);
    const alternating = 'WEBVTT\n\n' + Array.from({ length: 20_001 }, (_, i) => cue(i, speakers[i % 2])).join('\n');
    const refused = await upload(uploadForm('alternating.vtt', alternating, { startTime: START }));
    assertError(refused, 413, 'payload_too_large');
    assert.match(refused.body.error.message, /20,001 segments is over the limit of 20,000: split the transcript/);
    assert.deepEqual(await countRows(t.container.db), before);
  });

  test('bad uploads are 400 / 413 with details, and write nothing', async () => {
    const before = await countRows(t.container.db);
    const form = (fields: Record<string, string>, name = 'zoom-roadmap.vtt', data: Buffer | string = fixture('zoom-roadmap.vtt')) => uploadForm(name, data, fields);
    // No file / not multipart.
    const noFile = new FormData();
    noFile.append('title', 'x');
    assertValidation(await upload(noFile), 'file');
    assertValidation(await t.request('POST', '/api/v1/conversations/import', { key, body: { file: 'WEBVTT' } }), 'file');
    assertValidation(await t.request('POST', '/api/v1/conversations/import', { key }), 'file');
    // Unusable files.
    assertValidation(await upload(form({}, 'empty.vtt', '')), 'file');
    assertValidation(await upload(form({}, 'blank.txt', '   \n\n  ')), 'file');
    assertValidation(await upload(form({}, 'cues.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n')), 'file');
    assertValidation(await upload(form({}, 'image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]))), 'file');
    assertValidation(await upload(form({}, 'broken.json', '{"segments": [')), 'file');
    // Bad fields and query.
    assertValidation(await upload(form({ startTime: 'last tuesday' })), 'startTime');
    assertValidation(await upload(form({ kind: 'podcast' })), 'kind');
    assertValidation(await upload(form({ title: '   ' })), 'title');
    assertValidation(await upload(form({ title: 't'.repeat(501) })), 'title');
    assertValidation(await upload(form({}), '?dryRun=perhaps'), 'dryRun');
    assertValidation(await upload(form({}), '?format=vtt'), 'format');
    // Too large.
    const huge = 'WEBVTT\n\n' + '00:00:01.000 --> 00:00:02.000\nAlice: ' + 'x'.repeat(8 * 1024 * 1024) + '\n';
    const tooBig = await upload(form({}, 'huge.vtt', huge));
    assertError(tooBig, 413, 'payload_too_large');
    assert.equal(tooBig.body.error.message, 'Uploaded file is too large');
    assert.deepEqual(await countRows(t.container.db), before);
  });
});
