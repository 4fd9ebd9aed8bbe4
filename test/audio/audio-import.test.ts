// Audio uploads through the real HTTP stack, the real job queue and ffmpeg, to a local server
// speaking OpenAI's transcription protocol (what self-hosted Whisper servers speak).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { startWorkers } from '../../src/workers.js';
import { startFakeStt, type FakeStt, type SttResponder } from '../../src/integrations/stt/testing/fake-stt-server.js';
import { AUDIO, audio, leftovers, sleep, outbox, subscribe, transcript, upload, waitFor } from './support.js';

const LIMIT = 340 * 1024;

describe(`audio import through an OpenAI-compatible server (${dbLabel})`, () => {
  let t: TestApp;
  let fake: FakeStt;
  let stop: () => Promise<void>;
  let dataDir: string;
  let script: SttResponder | null = null;

  before(async () => {
    fake = await startFakeStt({ limitBytes: LIMIT, respond: (r, n) => (script ? script(r, n) : { hear: true }) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-audio-'));
    t = await startTestApp({
      env: {
        COLLOQUY_DATA_DIR: dataDir,
        COLLOQUY_STT_PROVIDER: 'openai-compatible',
        COLLOQUY_STT_BASE_URL: fake.url,
        COLLOQUY_STT_MODEL: 'Systran/faster-whisper-small',
        COLLOQUY_STT_API_KEY: 'sk-local-test',
        COLLOQUY_STT_MAX_RETRIES: '1',
        COLLOQUY_AUDIO_MAX_MB: '3',
        // Small enough that a 30 s WAV is split into a few chunks of about 10 s.
        COLLOQUY_STT_UPLOAD_LIMIT_MB: String(LIMIT / 1024 / 1024),
        COLLOQUY_STT_CONCURRENCY: '2',
      },
    });
    // What a killed server could have left: an old upload no job names, a fresh one, an old chunk folder.
    mkdirSync(join(t.container.audioDir, 'chunks-old'), { recursive: true });
    for (const name of ['upload-old.mp3', 'upload-fresh.mp3']) writeFileSync(join(t.container.audioDir, name), 'x');
    const old = new Date(Date.now() - 7 * 3600_000);
    utimesSync(join(t.container.audioDir, 'upload-old.mp3'), old, old);
    utimesSync(join(t.container.audioDir, 'chunks-old'), old, old);
    stop = await startWorkers(t.container);
    assert.deepEqual(leftovers(t.container.audioDir), ['upload-fresh.mp3'], 'old leftovers are removed when the worker starts');
    rmSync(join(t.container.audioDir, 'upload-fresh.mp3'));
  });
  after(async () => {
    await stop();
    await t.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an MP3 becomes a transcript: 202 processing, then transcript.ready with timed segments', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    const before = fake.requests.length;
    const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.data.status, 'in_progress');
    assert.equal(r.body.data.metadata.transcription.status, 'processing');
    assert.equal(r.body.data.metadata.source.format, 'mp3');
    assert.equal(r.body.data.title, 'standup');
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    assert.equal(done.metadata.transcription.status, 'ready');
    const segs = await transcript(t, u.key, done.id);
    assert.equal(segs.length, done.segmentCount);
    assert.ok(segs.length >= 2, JSON.stringify(segs));
    assert.ok(segs.every((s) => s.speaker === 'Speaker'));
    // The recording's pauses are at known places: timestamps are startTime + the heard offsets.
    const offsets = segs.map((s) => (Date.parse(s.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000);
    assert.ok(offsets[0]! < 0.5 && offsets.at(-1)! > 3 && offsets.at(-1)! < 6.3, JSON.stringify(offsets));
    assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
    const sent = fake.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.fields.model?.[0], 'Systran/faster-whisper-small');
    assert.equal(sent[0]!.fields.response_format?.[0], 'verbose_json');
    assert.equal(sent[0]!.headers.authorization, 'Bearer sk-local-test');
    assert.deepEqual(Buffer.from(sent[0]!.audio), audio('standup.mp3'));
    const ev = await outbox(t, u.userId);
    assert.deepEqual(ev.map((e) => e.event), ['transcript.ready']);
    assert.deepEqual(ev[0]!.data, { conversationId: done.id, segmentCount: segs.length });
    assert.deepEqual(leftovers(t.container.audioDir), []);
    // The person renames the speaker and asks for key points: the usual flow from here on.
    const renamed = await t.request('PATCH', `/api/v1/conversations/${done.id}/speakers`, { key: u.key, body: { rename: { Speaker: 'Ann Lee' } } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual(renamed.body.data.speakers, [{ name: 'Ann Lee', segmentCount: segs.length }]);
    const kp = await t.request('POST', `/api/v1/conversations/${done.id}/keypoints`, { key: u.key, body: {} });
    assert.equal(kp.status, 200, kp.text);
  });

  test('formats are recognised from the content; dryRun reports them and transcribes nothing', async () => {
    const u = await t.user('professional');
    const before = fake.requests.length;
    const cases: Array<[string, string]> = [
      ['hello.wav', 'wav'], ['hello.flac', 'flac'], ['hello.ogg', 'ogg'], ['hello.opus.ogg', 'opus'],
      ['hello.m4a', 'm4a'], ['hello.aac', 'aac'], ['hello.webm', 'webm'], ['standup.mp3', 'mp3'],
    ];
    for (const [file, format] of cases) {
      // Named as something else: the content decides.
      const r = await upload(t, u.key, [['recording.bin', audio(file)]], {}, '?dryRun=true');
      assert.equal(r.status, 200, `${file}: ${r.text}`);
      assert.equal(r.body.data.format, format, file);
      assert.equal(r.body.data.channels, 1, file);
      const expected = file.startsWith('hello') ? 2.2 : 6.2;
      assert.ok(Math.abs(r.body.data.durationSec - expected) < 0.3, `${file}: ${r.body.data.durationSec}`);
    }
    const stereo = await upload(t, u.key, [['call.ogg', audio('call-stereo.ogg')]], {}, '?dryRun=true');
    assert.equal(stereo.body.data.channels, 2);
    assert.equal(fake.requests.length, before);
    const list = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(list.body.data.length, 0);
    assert.deepEqual(leftovers(t.container.audioDir), []);
    // A caption file named .mp3 is still a caption file.
    const vtt = await upload(t, u.key, [['captions.mp3', Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hello there\n')]]);
    assert.equal(vtt.status, 201, vtt.text);
    assert.equal(vtt.body.data.segmentCount, 1);
  });

  test('over the operator limit: 413, nothing stored, nothing queued', async () => {
    const u = await t.user('professional');
    const big = Buffer.concat([audio('hello.wav'), Buffer.alloc(3 * 1024 * 1024 + 10)]);
    const r = await upload(t, u.key, [['long.wav', big]]);
    assert.equal(r.status, 413, r.text);
    assert.equal(r.body.error.code, 'payload_too_large');
    assert.match(r.body.error.message, /3 MB/);
    const list = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(list.body.data.length, 0);
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test('a file that starts like audio but is not: 400, nothing stored', async () => {
    const u = await t.user('professional');
    const fakeWav = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEjunk', 'latin1'), Buffer.alloc(200, 7)]);
    const r = await upload(t, u.key, [['broken.wav', fakeWav]]);
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.error.message, /cannot be read/);
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test('a malformed provider reply ends in transcript.failed with a readable error', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    script = () => ({ json: { segments: 'not a list' } });
    try {
      const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
      assert.equal(r.status, 202, r.text);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.equal(failed.segmentCount, 0);
      assert.match(failed.metadata.transcription.error, /not a transcription/);
      const ev = await outbox(t, u.userId);
      assert.deepEqual(ev.map((e) => e.event), ['transcript.failed']);
      assert.equal(ev[0]!.data.error, failed.metadata.transcription.error);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test('a 429 is retried after the Retry-After the provider asked for', async () => {
    const u = await t.user('professional');
    const times: number[] = [];
    script = (_r, n) => {
      times.push(Date.now());
      return times.length === 1 ? { status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } } : { hear: true };
    };
    try {
      const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
      const done = await waitFor(t, u.key, r.body.data.id);
      assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
      assert.equal(times.length, 2);
      // The SDK's own backoff would have waited 2 s; the provider asked for 3.
      assert.ok(times[1]! - times[0]! >= 2900, `retried after ${times[1]! - times[0]!} ms`);
    } finally {
      script = null;
    }
  });

  test('a provider error that persists fails the job with its status and message', async () => {
    const u = await t.user('professional');
    script = () => ({ status: 400, body: { error: { message: 'Invalid file format.', type: 'invalid_request_error' } } });
    try {
      const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.match(failed.metadata.importError, /answered 400: Invalid file format/);
    } finally {
      script = null;
    }
  });

  test('a recording over the upload limit is split at silences, sent in parallel and stitched word for word', async () => {
    const u = await t.user('professional');
    // tones.ogg as 16 kHz WAV: 30 s, about 940 KB, so about three times the provider's limit.
    const wav = join(dataDir, 'tones.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(AUDIO, 'tones.ogg'), '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
    const data = readFileSync(wav);
    assert.ok(data.length > 2.5 * LIMIT);
    const before = fake.requests.length;
    // Each request waits (briefly) for a second one, so the bound on parallel requests is seen.
    script = async () => {
      for (let i = 0; i < 40 && fake.inFlight < 2; i++) await sleep(50);
      return { hear: true };
    };
    try {
      const r = await upload(t, u.key, [['tones.wav', data]]);
      assert.equal(r.status, 202, r.text);
      const done = await waitFor(t, u.key, r.body.data.id);
      assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
      const sent = fake.requests.slice(before);
      assert.ok(sent.length >= 3, `${sent.length} requests`);
      assert.ok(sent.every((q) => q.audio.length <= LIMIT));
      assert.ok(sent.every((q) => q.fields['timestamp_granularities[]']?.includes('word')));
      assert.equal(fake.maxInFlight, 2);
      const segs = await transcript(t, u.key, done.id);
      const words = segs.flatMap((s) => s.text.split(' '));
      assert.deepEqual(words, Array.from({ length: 30 }, (_, i) => `w${i}`), 'every tone once, in order');
      // Tone i starts i seconds in: each segment is timed by its first word, across chunk borders.
      for (const s of segs) {
        const first = Number(s.text.split(' ')[0]!.slice(1));
        const offset = (Date.parse(s.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000;
        assert.ok(Math.abs(offset - first) < 0.15, `${s.text.slice(0, 12)} at ${offset}`);
      }
      assert.ok(segs.length >= 2);
      assert.ok(Math.abs(Date.parse(done.endTime) - Date.parse('2026-03-18T14:00:29.500Z')) < 300, done.endTime);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test('one track per participant: each transcribed alone, labelled with its speaker, merged by time', async () => {
    const u = await t.user('professional');
    const before = fake.requests.length;
    const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')], ['bob.ogg', audio('bob.ogg')], ['carol.ogg', audio('carol.ogg')]], {
      speakers: JSON.stringify({ 'alice.ogg': 'Alice Chen' }),
    });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.body.data.metadata.source.tracks.map((x: any) => x.speaker), ['Alice Chen', 'bob', 'carol']);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    assert.equal(fake.requests.length - before, 3);
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Alice Chen', 'bob', 'carol', 'Alice Chen']);
    const offsets = segs.map((s) => (Date.parse(s.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000);
    [0, 2.5, 5, 7.5].forEach((want, i) => assert.ok(Math.abs(offsets[i]! - want) < 0.2, `${segs[i]!.speaker} at ${offsets[i]}`));
  });

  test('a stereo call with one person per channel: one label per channel', async () => {
    const u = await t.user('professional');
    const r = await upload(t, u.key, [['call.ogg', audio('call-stereo.ogg')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Channel 1', 'Channel 2']);
    const second = (Date.parse(segs[1]!.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000;
    assert.ok(Math.abs(second - 2.5) < 0.2, String(second));
    // One voice on both channels (the right one quieter, as a second microphone would hear it) is
    // one recording, not two people: transcribed once.
    const same = join(dataDir, 'one-voice-stereo.ogg');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(AUDIO, 'standup.mp3'), '-af', 'pan=stereo|c0=c0|c1=0.5*c0', '-c:a', 'libopus', '-b:a', '24k', same]);
    const before = fake.requests.length;
    const one = await upload(t, u.key, [['one-voice.ogg', readFileSync(same)]]);
    assert.equal(one.body.data.metadata.transcription.channels, 2);
    const doneOne = await waitFor(t, u.key, one.body.data.id);
    assert.equal(doneOne.status, 'completed', JSON.stringify(doneOne.metadata));
    assert.equal(fake.requests.length - before, 1);
    assert.deepEqual([...new Set((await transcript(t, u.key, doneOne.id)).map((s) => s.speaker))], ['Speaker']);
  });

  test('a multi-track upload with a bad speakers field or a text file among the tracks: 400, nothing stored', async () => {
    const u = await t.user('professional');
    const bad = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')], ['bob.ogg', audio('bob.ogg')]], { speakers: '["Alice"]' });
    assert.equal(bad.status, 400, bad.text);
    assert.ok(bad.body.error.details.speakers);
    const mixed = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')], ['notes.txt', Buffer.from('Ann: hello')]]);
    assert.equal(mixed.status, 400, mixed.text);
    const nul = await upload(t, u.key, [['ali\u0000ce.ogg', audio('alice.ogg')], ['bob.ogg', audio('bob.ogg')]]);
    assert.equal(nul.status, 400, nul.text);
    const nulName = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]], { speakers: JSON.stringify({ 'alice.ogg': 'A\u0000' }) });
    assert.equal(nulName.status, 400, nulName.text);
    const list = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(list.body.data.length, 0);
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });
  test('with automatic analysis on, a transcribed recording gets its key points at transcript.ready, for one credit', async () => {
    const u = await t.user('enterprise'); // unlimited credits: on by default
    const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    let kp;
    for (let i = 0; i < 300 && !kp; i++) {
      const got = await t.request('GET', `/api/v1/conversations/${done.id}/keypoints`, { key: u.key });
      if (got.status === 200) kp = got.body.data;
      else await sleep(100);
    }
    assert.ok(kp, 'key points were generated in the background');
    const profile = await t.request('GET', '/api/v1/user/profile', { key: u.key });
    assert.equal(profile.body.data.apiUsage.aiGenerations.used, 1);
  });
});
