import { spawn } from 'node:child_process';

// The fake speech-to-text servers' "recognition": the audio is decoded with ffmpeg and every burst of
// sound between pauses becomes one word, timed where it is heard. A pure tone is named for its
// frequency on a 40 Hz grid from 400 Hz (`w0`, `w1`, …: the test fixture tones.ogg plays w0…w29 in
// order), so a transcript stitched from chunks can be checked word for word; speech gets `word`.

export interface HeardWord {
  word: string;
  start: number;
  end: number;
}

const RATE = 8000;
const FRAME = 160; // 20 ms

export async function decode(audio: Uint8Array, ffmpegPath = 'ffmpeg'): Promise<Int16Array> {
  const child = spawn(ffmpegPath, ['-hide_banner', '-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', String(RATE), '-f', 's16le', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  child.stdin.on('error', () => {});
  child.stdin.end(Buffer.from(audio));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  if (code !== 0) throw new Error(`not decodable audio: ${err.trim().split('\n').at(-1)}`);
  const buf = Buffer.concat(out);
  return new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.length / 2));
}

export function hear(samples: Int16Array): HeardWord[] {
  const frames = Math.floor(samples.length / FRAME);
  const loud: boolean[] = [];
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let i = f * FRAME; i < (f + 1) * FRAME; i++) sum += samples[i]! * samples[i]!;
    loud.push(Math.sqrt(sum / FRAME) > 600);
  }
  const words: HeardWord[] = [];
  let f = 0;
  while (f < frames) {
    if (!loud[f]) {
      f++;
      continue;
    }
    let end = f;
    // A pause shorter than 200 ms does not end the word.
    while (end < frames && (loud[end] || loud.slice(end, end + 10).some(Boolean))) end++;
    if (end - f >= 3) {
      const a = f * FRAME;
      const b = end * FRAME;
      // The middle of the burst in four parts: a tone crosses zero at the same rate in each.
      const rates: number[] = [];
      const inner = Math.floor((b - a) * 0.15);
      const part = Math.floor((b - a - 2 * inner) / 4);
      for (let k = 0; k < 4; k++) {
        const from = a + inner + k * part;
        let crossings = 0;
        for (let i = from + 1; i < from + part; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
        rates.push(crossings / 2 / (part / RATE));
      }
      const hz = rates.reduce((x, y) => x + y, 0) / rates.length;
      const tone = Math.round((hz - 400) / 40);
      const pure = Math.max(...rates) - Math.min(...rates) < 12 && Math.abs(hz - (400 + 40 * tone)) < 15 && tone >= 0 && tone < 40;
      words.push({ word: pure ? `w${tone}` : 'word', start: a / RATE, end: b / RATE });
    }
    f = end;
  }
  return words;
}

/** Words into Whisper-like segments, split at pauses of 0.3 s or more. */
export function segmentsOf(words: HeardWord[]): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (const w of words) {
    const last = out.at(-1);
    if (last && w.start - last.end < 0.3) {
      last.text += ` ${w.word}`;
      last.end = w.end;
    } else out.push({ start: w.start, end: w.end, text: w.word });
  }
  return out;
}
