// kill -9 while a recording is being transcribed: after a restart the job runs again from the saved
// upload and finishes; nothing was half-written and nothing is written twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, childEnv, freePort, startServerProcess, type ServerProcess } from '../core/processes.js';
import { freshDatabase, dbLabel } from '../helpers/db.js';
import { startFakeStt, type FakeStt } from '../../src/integrations/stt/testing/fake-stt-server.js';
import { decode, hear, segmentsOf } from '../../src/integrations/stt/testing/recognizer.js';
import { audio, form, sleep } from './support.js';

describe(`a transcription whose server was killed (${dbLabel})`, () => {
  let fake: FakeStt;
  let dataDir: string;
  let databaseUrl: string | null = null;
  let drop: () => Promise<void> = async () => {};
  let holding = true;
  const servers: ServerProcess[] = [];

  before(async () => {
    // The first request hangs while `holding`, so the job is surely mid-transcription at the kill.
    fake = await startFakeStt({ respond: () => (holding ? { hang: true } : { hear: true }) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-killed-stt-'));
    if (process.env.TEST_DATABASE_URL) {
      const db = await freshDatabase();
      await db.database.close();
      databaseUrl = db.url;
      drop = db.drop;
    }
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await fake.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string>) {
    const env = childEnv(dataDir, await freePort(), {
      COLLOQUY_ENGINE_THREADS: '0',
      COLLOQUY_STT_PROVIDER: 'openai-compatible',
      COLLOQUY_STT_BASE_URL: fake.url,
      COLLOQUY_STT_MODEL: 'whisper-1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...extra,
    });
    const s = await startServerProcess(env);
    servers.push(s);
    return s;
  }

  test('the restarted server transcribes it once, from the saved upload', async () => {
    const first = await start({ COLLOQUY_DEMO_USER: 'true' });
    const key = /API key: (convo_\S+)/.exec(first.stdout())![1]!;
    const res = await fetch(`${first.url}/api/v1/conversations/import`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form([['standup.mp3', audio('standup.mp3')]], { startTime: '2026-03-18T14:00:00Z' }) });
    assert.equal(res.status, 202, await res.clone().text());
    const id = ((await res.json()) as { data: { id: string } }).data.id;
    for (let i = 0; fake.requests.length < 1; i++) {
      assert.ok(i < 600, 'the job never reached the provider');
      await sleep(100);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal((await fake.requests.length), 1);
    assert.deepEqual(readdirSync(join(dataDir, 'audio')).length, 1, 'the upload waits on disk');

    holding = false;
    const restarted = await start({ COLLOQUY_DEMO_USER: 'false' });
    let conv: any = null;
    for (let i = 0; i < 600; i++) {
      conv = (await api(restarted.url, key, `/api/v1/conversations/${id}`)).body.data;
      if (conv?.status !== 'in_progress') break;
      await sleep(100);
    }
    assert.equal(conv?.status, 'completed', JSON.stringify(conv));
    assert.equal(fake.requests.length, 2);
    const expected = segmentsOf(hear(await decode(audio('standup.mp3'))));
    const segs = (await api(restarted.url, key, `/api/v1/conversations/${id}/transcript`)).body.data.segments;
    assert.equal(conv.segmentCount, expected.length);
    assert.deepEqual(segs.map((s: any) => s.text), expected.map((s) => s.text));
    assert.deepEqual(readdirSync(join(dataDir, 'audio')), [], 'the upload is removed once transcribed');
  });
});
