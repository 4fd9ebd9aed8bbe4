// npx tsx bench/audio-import.ts — a 30-minute recording uploaded to the compiled server (embedded
// database) and transcribed through a local OpenAI-protocol server: upload-to-ready time and the
// server process's peak resident memory while it runs (VmRSS sampled every 25 ms). The recording is standup.mp3 repeated with pauses; as MP3
// (one request) and as 16 kHz WAV (over the 25 MB limit: split with ffmpeg, stitched). Prints
// figures for the closing notes of a change; never a pass/fail gate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, freePort, startServerProcess } from '../test/core/processes.js';
import { startFakeStt } from '../src/integrations/stt/testing/fake-stt-server.js';

const MINUTES = Number(process.env.BENCH_AUDIO_MINUTES ?? 30);
const fixture = join(import.meta.dirname, '..', 'test', 'fixtures', 'audio', 'standup.mp3');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function run(file: string) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-audio-'));
  const fake = await startFakeStt({ limitBytes: 25 * 1024 * 1024 });
  const server = await startServerProcess(
    childEnv(join(dir, 'data'), await freePort(), {
      COLLOQUY_DEMO_USER: 'true',
      COLLOQUY_ENGINE_THREADS: '1',
      COLLOQUY_STT_PROVIDER: 'openai-compatible',
      COLLOQUY_STT_BASE_URL: fake.url,
      COLLOQUY_STT_MODEL: 'whisper-1',
      COLLOQUY_REQUEST_TIMEOUT_MS: '600000',
    }),
  );
  try {
    const key = /API key: (convo_\S+)/.exec(server.stdout())![1]!;
    const pid = server.child.pid!;
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
    const form = new FormData();
    form.append('file', await openAsBlob(file), file.split('/').pop());
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/conversations/import`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    const accepted = performance.now() - t0;
    const id = ((await res.json()) as any).data.id;
    let conv: any;
    for (;;) {
      conv = ((await (await fetch(`${server.url}/api/v1/conversations/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as any).data;
      if (conv.status !== 'in_progress') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ready = performance.now() - t0;
    clearInterval(sampler);
    console.log(
      `${file.split('/').pop()}: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${MINUTES} min → ${conv.status}, ${conv.segmentCount} segments, ` +
        `${fake.requests.length} provider request(s); 202 after ${(accepted / 1000).toFixed(2)} s, ready after ${(ready / 1000).toFixed(2)} s; ` +
        `server RSS peak ${peak} MB while it ran (${before} MB idle before the upload)`,
    );
  } finally {
    await server.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'colloquy-bench-audio-src-'));
try {
  // standup.mp3 (6.2 s) plus 3.8 s of silence, repeated to MINUTES.
  const loops = Math.ceil((MINUTES * 60) / 10);
  const mp3 = join(work, 'meeting-30min.mp3');
  const wav = join(work, 'meeting-30min.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', fixture, '-af', 'apad=pad_dur=3.8', join(work, 'unit.wav')]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', String(loops - 1), '-i', join(work, 'unit.wav'), '-t', String(MINUTES * 60), '-ac', '1', '-ar', '16000', '-b:a', '32k', mp3]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', mp3, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
  await run(mp3);
  await run(wav);
} finally {
  rmSync(work, { recursive: true, force: true });
}
