// Deepgram's protocol (diarized utterances), a provider that does not answer, a server without
// ffmpeg, AssemblyAI's upload and poll, ElevenLabs' diarized words, OpenAI's diarizing model
// (diarized_json, spoken to without the SDK), and a server with no speech-to-text at all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { startWorkers } from '../../src/workers.js';
import { startFakeStt, type FakeStt, type SttResponder } from '../../src/integrations/stt/testing/fake-stt-server.js';
import { audio, leftovers, outbox, subscribe, transcript, upload, waitFor } from './support.js';

describe(`audio import through Deepgram's protocol, without ffmpeg (${dbLabel})`, () => {
  let t: TestApp;
  let fake: FakeStt;
  let stop: () => Promise<void>;
  let dataDir: string;
  let script: SttResponder | null = null;

  before(async () => {
    // Deepgram diarizes: the first two words heard are one person's, the rest another's.
    fake = await startFakeStt({ respond: (r, n) => (script ? script(r, n) : { hear: true }), speakerOf: (_w, i) => (i < 2 ? 0 : 1) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-audio-dg-'));
    t = await startTestApp({
      env: {
        COLLOQUY_DATA_DIR: dataDir,
        COLLOQUY_STT_PROVIDER: 'deepgram',
        COLLOQUY_STT_BASE_URL: fake.origin,
        COLLOQUY_STT_API_KEY: 'dg-test-key',
        COLLOQUY_STT_TIMEOUT_MS: '4000',
        COLLOQUY_STT_MAX_RETRIES: '0',
        // Just under the size of standup.mp3, and no ffmpeg to split it with.
        COLLOQUY_STT_UPLOAD_LIMIT_MB: String(20_000 / 1024 / 1024),
        COLLOQUY_FFMPEG_PATH: '/nonexistent/ffmpeg',
        COLLOQUY_FFPROBE_PATH: '/nonexistent/ffprobe',
      },
    });
    stop = await startWorkers(t.container);
  });
  after(async () => {
    await stop();
    await t.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("Deepgram's speaker labels become the segments' speakers", async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Speaker 1', 'Speaker 2']);
    const req = fake.requests.at(-1)!;
    assert.equal(req.protocol, 'deepgram');
    assert.equal(req.query.get('diarize'), 'true');
    assert.equal(req.query.get('utterances'), 'true');
    assert.equal(req.headers.authorization, 'Token dg-test-key');
    assert.deepEqual((await outbox(t, u.userId)).map((e) => e.event), ['transcript.ready']);
  });

  test('a provider that does not answer: transcript.failed saying so', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    script = () => ({ hang: true });
    try {
      const r = await upload(t, u.key, [['hello.ogg', audio('hello.opus.ogg')]]);
      assert.equal(r.status, 202, r.text);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.match(failed.metadata.importError, /did not answer within 4 s/);
      const ev = await outbox(t, u.userId);
      assert.deepEqual(ev.map((e) => e.event), ['transcript.failed']);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test('over the provider limit without ffmpeg: refused at once, saying why', async () => {
    const u = await t.user('professional');
    const before = fake.requests.length;
    const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
    assert.equal(r.status, 413, r.text);
    assert.match(r.body.error.message, /ffmpeg/);
    assert.equal(fake.requests.length, before);
    const list = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(list.body.data.length, 0);
    assert.deepEqual(leftovers(t.container.audioDir), []);
    // A dry run says so too; without ffprobe a WAV's header still tells its duration.
    const dry = await upload(t, u.key, [['hello.wav', audio('hello.wav')]], {}, '?dryRun=true');
    assert.equal(dry.status, 200, dry.text);
    assert.ok(Math.abs(dry.body.data.durationSec - 2.2) < 0.1);
    assert.equal(dry.body.data.transcribable, false);
    assert.match(dry.body.data.problem, /ffmpeg/);
  });
});

describe(`audio import through AssemblyAI's protocol: upload, submit, poll (${dbLabel})`, () => {
  let t: TestApp;
  let fake: FakeStt;
  let stop: () => Promise<void>;
  let dataDir: string;

  before(async () => {
    // The first poll finds the transcript still processing; the second finds it done.
    fake = await startFakeStt({ pollsBeforeDone: 1, speakerOf: (_w, i) => (i < 2 ? 0 : 1) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-audio-aai-'));
    t = await startTestApp({
      env: { COLLOQUY_DATA_DIR: dataDir, COLLOQUY_STT_PROVIDER: 'assemblyai', COLLOQUY_STT_BASE_URL: fake.origin, COLLOQUY_STT_API_KEY: 'aai-test-key' },
    });
    stop = await startWorkers(t.container);
  });
  after(async () => {
    await stop();
    await t.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("AssemblyAI's speaker labels (A, B) and millisecond times become speakers and timestamps", async () => {
    const u = await t.user('professional');
    const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id, ['completed', 'abandoned'], 600);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Speaker A', 'Speaker B']);
    const offset = (Date.parse(segs[1]!.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000;
    assert.ok(Math.abs(offset - 7.5) < 0.2, String(offset));
    const req = fake.requests.at(-1)!;
    assert.equal(req.protocol, 'assemblyai');
    assert.equal(req.fields.speaker_labels?.[0], 'true');
    assert.equal(req.headers.authorization, 'aai-test-key');
    assert.deepEqual(Buffer.from(req.audio), audio('alice.ogg'));
  });
});

describe(`audio import through ElevenLabs' protocol (${dbLabel})`, () => {
  let t: TestApp;
  let fake: FakeStt;
  let stop: () => Promise<void>;
  let dataDir: string;
  let script: SttResponder | null = null;

  before(async () => {
    // Scribe diarizes: the first two words heard are one person's, the rest another's.
    fake = await startFakeStt({ respond: (r, n) => (script ? script(r, n) : { hear: true }), speakerOf: (_w, i) => (i < 2 ? 0 : 1) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-audio-11l-'));
    t = await startTestApp({
      env: { COLLOQUY_DATA_DIR: dataDir, COLLOQUY_STT_PROVIDER: 'elevenlabs', COLLOQUY_STT_BASE_URL: fake.origin, COLLOQUY_STT_API_KEY: 'xi-test-key', COLLOQUY_STT_MAX_RETRIES: '0' },
    });
    stop = await startWorkers(t.container);
  });
  after(async () => {
    await stop();
    await t.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("ElevenLabs' speaker_id on each word becomes the segments' speakers", async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    assert.equal(done.metadata.transcription.provider, 'elevenlabs:scribe_v1');
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Speaker 1', 'Speaker 2']);
    // Spacing entries are not words: each segment's text is its words, one space apart.
    assert.ok(segs.every((s) => /^(word)( word)*$/.test(s.text)), JSON.stringify(segs));
    const offset = (Date.parse(segs[1]!.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000;
    assert.ok(Math.abs(offset - 7.5) < 0.2, String(offset));
    const req = fake.requests.at(-1)!;
    assert.equal(req.protocol, 'elevenlabs');
    assert.equal(req.headers['xi-api-key'], 'xi-test-key');
    assert.deepEqual(req.fields.model_id, ['scribe_v1']);
    // The last value of a repeated field is the one the service reads.
    assert.equal(req.fields.diarize?.at(-1), 'true');
    assert.equal(req.fields.timestamps_granularity?.at(-1), 'word');
    assert.deepEqual(Buffer.from(req.audio), audio('alice.ogg'));
    assert.deepEqual((await outbox(t, u.userId)).map((e) => e.event), ['transcript.ready']);
  });

  test('a malformed reply ends in transcript.failed saying so', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    script = () => ({ json: { words: 'not a list' } });
    try {
      const r = await upload(t, u.key, [['hello.ogg', audio('hello.opus.ogg')]]);
      assert.equal(r.status, 202, r.text);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.match(failed.metadata.transcription.error, /not a transcription/);
      const ev = await outbox(t, u.userId);
      assert.deepEqual(ev.map((e) => e.event), ['transcript.failed']);
      assert.equal(ev[0]!.data.error, failed.metadata.transcription.error);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });

  test("an error status fails the job with ElevenLabs' own message", async () => {
    const u = await t.user('professional');
    script = () => ({ status: 401, body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } } });
    try {
      const r = await upload(t, u.key, [['hello.ogg', audio('hello.opus.ogg')]]);
      assert.equal(r.status, 202, r.text);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.match(failed.metadata.importError, /answered 401: Invalid API key/);
      assert.doesNotMatch(failed.metadata.importError, /xi-test-key/);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });
});

describe(`audio import through OpenAI's diarizing model, which answers diarized_json (${dbLabel})`, () => {
  let t: TestApp;
  let fake: FakeStt;
  let stop: () => Promise<void>;
  let dataDir: string;
  let script: SttResponder | null = null;

  before(async () => {
    // The fake refuses verbose_json from a *diarize* model, as OpenAI does.
    fake = await startFakeStt({ respond: (r, n) => (script ? script(r, n) : { hear: true }), speakerOf: (_w, i) => (i < 2 ? 0 : 1) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-audio-diarize-'));
    t = await startTestApp({
      env: {
        COLLOQUY_DATA_DIR: dataDir,
        COLLOQUY_STT_PROVIDER: 'openai',
        COLLOQUY_STT_BASE_URL: fake.url,
        COLLOQUY_STT_MODEL: 'gpt-4o-transcribe-diarize',
        COLLOQUY_STT_API_KEY: 'sk-diarize-test',
        COLLOQUY_STT_MAX_RETRIES: '1',
      },
    });
    stop = await startWorkers(t.container);
  });
  after(async () => {
    await stop();
    await t.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the model's speaker letters become the segments' speakers", async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    const before = fake.requests.length;
    const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]]);
    assert.equal(r.status, 202, r.text);
    const done = await waitFor(t, u.key, r.body.data.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
    const segs = await transcript(t, u.key, done.id);
    assert.deepEqual(segs.map((s) => s.speaker), ['Speaker A', 'Speaker B']);
    const offset = (Date.parse(segs[1]!.timestamp) - Date.parse('2026-03-18T14:00:00.000Z')) / 1000;
    assert.ok(Math.abs(offset - 7.5) < 0.2, String(offset));
    const sent = fake.requests.slice(before);
    assert.equal(sent.length, 1);
    const req = sent[0]!;
    assert.equal(req.protocol, 'openai');
    assert.deepEqual(req.fields.model, ['gpt-4o-transcribe-diarize']);
    assert.deepEqual(req.fields.response_format, ['diarized_json']);
    assert.deepEqual(req.fields.chunking_strategy, ['auto']);
    assert.equal(req.headers.authorization, 'Bearer sk-diarize-test');
    assert.equal(req.filename, 'audio.ogg');
    assert.deepEqual(Buffer.from(req.audio), audio('alice.ogg'));
    assert.deepEqual((await outbox(t, u.userId)).map((e) => e.event), ['transcript.ready']);
  });

  test('a 429 is retried after the Retry-After the provider asked for', async () => {
    const u = await t.user('professional');
    const times: number[] = [];
    script = () => {
      times.push(Date.now());
      return times.length === 1 ? { status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } } : { hear: true };
    };
    try {
      const r = await upload(t, u.key, [['alice.ogg', audio('alice.ogg')]]);
      const done = await waitFor(t, u.key, r.body.data.id);
      assert.equal(done.status, 'completed', JSON.stringify(done.metadata));
      assert.equal(times.length, 2);
      // Without the header the first retry waits 2 s; the provider asked for 3.
      assert.ok(times[1]! - times[0]! >= 2900, `retried after ${times[1]! - times[0]!} ms`);
      assert.deepEqual((await transcript(t, u.key, done.id)).map((s) => s.speaker), ['Speaker A', 'Speaker B']);
    } finally {
      script = null;
    }
  });

  test('an error status fails at once with its message; a malformed reply says it is not a transcription', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId);
    const before = fake.requests.length;
    script = () => ({ status: 400, body: { error: { message: 'Audio file might be corrupted or unsupported', type: 'invalid_request_error' } } });
    try {
      const r = await upload(t, u.key, [['hello.ogg', audio('hello.opus.ogg')]]);
      const failed = await waitFor(t, u.key, r.body.data.id);
      assert.equal(failed.status, 'abandoned');
      assert.equal(failed.metadata.transcription.error, 'The speech-to-text provider answered 400: Audio file might be corrupted or unsupported');
      // A 400 is not retried.
      assert.equal(fake.requests.length - before, 1);
      script = () => ({ json: { text: 'hello', segments: [{ start: 'soon', text: 'hello' }] } });
      const r2 = await upload(t, u.key, [['hello.ogg', audio('hello.opus.ogg')]]);
      const failed2 = await waitFor(t, u.key, r2.body.data.id);
      assert.equal(failed2.status, 'abandoned');
      assert.match(failed2.metadata.transcription.error, /not a transcription/);
      assert.deepEqual((await outbox(t, u.userId)).map((e) => e.event), ['transcript.failed', 'transcript.failed']);
    } finally {
      script = null;
    }
    assert.deepEqual(leftovers(t.container.audioDir), []);
  });
});

describe(`audio import with no speech-to-text configured (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  test('refused at once with a 400 naming the settings; nothing created, no credit spent', async () => {
    const u = await t.user('professional');
    const used = async () => (await t.request('GET', '/api/v1/user/profile', { key: u.key })).body.data.apiUsage.aiGenerations.used;
    const usedBefore = await used();
    const r = await upload(t, u.key, [['standup.mp3', audio('standup.mp3')]]);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'validation_error');
    assert.match(r.body.error.message, /COLLOQUY_STT_PROVIDER/);
    assert.match(r.body.error.message, /COLLOQUY_STT_API_KEY/);
    const list = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(list.body.data.length, 0);
    assert.equal(await used(), usedBefore);
    const jobs = await t.container.db.selectFrom('conversations').select('id').execute();
    assert.equal(jobs.length, 0);
  });
});
