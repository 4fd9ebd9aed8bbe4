import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioTools } from './ffmpeg.js';
import { mapBounded, planChunks, stitch } from './chunks.js';
import { SttError, type SpeechToText } from './provider.js';
import { groupWords, type TimedSegment } from './reply.js';

// One audio file (or one channel of it) through the provider: sent as it is when it fits the
// provider's upload limit, otherwise cut into 16 kHz mono FLAC chunks at silences, transcribed a few
// at a time and stitched back on the recording's clock.

/** 16 kHz mono 16-bit: FLAC never needs more than this per second (it is at most the raw PCM). */
const PCM_BYTES_PER_SEC = 32_000;

export interface TrackOptions {
  stt: SpeechToText;
  tools: AudioTools;
  /** Where chunk files are written (removed when done). */
  workDir: string;
  concurrency: number;
  /** Transcribe this channel alone (multi-channel recordings, one person per channel). */
  channel?: number;
  signal?: AbortSignal;
}

export async function transcribeTrack(path: string, o: TrackOptions): Promise<TimedSegment[]> {
  const size = (await stat(path)).size;
  if (size <= o.stt.uploadLimitBytes && o.channel === undefined) {
    return (await o.stt.transcribe(new Uint8Array(await readFile(path)), { signal: o.signal })).segments;
  }
  if (!(await o.tools.available())) throw new SttError(tooLargeWithoutFfmpeg(o.stt.uploadLimitBytes));
  const info = await o.tools.probe(path);
  if (!info.durationSec) throw new SttError('The recording has no readable duration');
  const maxSec = Math.max(5, Math.floor((o.stt.uploadLimitBytes * 0.95 - 8192) / PCM_BYTES_PER_SEC));
  const silences = info.durationSec > maxSec ? await o.tools.silences(path, 0.3) : [];
  const chunks = planChunks(info.durationSec, silences, maxSec);
  const dir = await mkdtemp(join(o.workDir, 'chunks-'));
  try {
    const results = await mapBounded(chunks, o.concurrency, async (c, i) => {
      const file = join(dir, `${i}.flac`);
      await o.tools.cut(path, file, c.start, c.end - c.start, o.channel);
      try {
        return await o.stt.transcribe(new Uint8Array(await readFile(file)), { signal: o.signal });
      } finally {
        await rm(file, { force: true });
      }
    });
    // Word by word when every chunk has word times (a segment can straddle a cut; a word cannot,
    // since cuts fall in silences); else segment by segment.
    if (results.every((r) => r.words)) return groupWords(stitch(chunks, results.map((r) => r.words!)));
    return stitch(chunks, results.map((r) => r.segments));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function tooLargeWithoutFfmpeg(limit: number): string {
  return `The recording is over the speech-to-text provider's upload limit of ${formatMb(limit)}, and ffmpeg, which splits longer recordings, is not installed on the server (install Debian's ffmpeg package, or upload a smaller file)`;
}

export const formatMb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`);
