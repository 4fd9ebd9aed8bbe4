import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';

// ffmpeg and ffprobe as found on the PATH (Debian's `ffmpeg` package): probing, silence detection
// and cutting chunks. Nothing is downloaded; without them, audio that needs splitting is refused.

export interface AudioTools {
  /** Whether ffmpeg and ffprobe run here (checked once). */
  available(): Promise<boolean>;
  probe(path: string): Promise<AudioInfo>;
  /** Silences of at least `minSeconds`, as [start, end] seconds. */
  silences(path: string, minSeconds: number): Promise<Array<[number, number]>>;
  /** Writes [startSec, startSec + seconds) of `path` as 16 kHz mono FLAC (`channel`: one channel only). */
  cut(path: string, out: string, startSec: number, seconds: number, channel?: number): Promise<void>;
  /** Whether every channel carries the same sound (a stereo file of one mono source). */
  channelsAlike(path: string): Promise<boolean>;
}

export interface AudioInfo {
  durationSec: number | null;
  channels: number | null;
  codec: string | null;
}

function run(cmd: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout = (stdout + d).slice(-1_000_000)));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-1_000_000)));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export function createAudioTools(opts: { ffmpegPath: string; ffprobePath: string }): AudioTools {
  let checked: Promise<boolean> | null = null;
  const ffmpeg = async (args: string[]) => {
    const r = await run(opts.ffmpegPath, ['-hide_banner', '-nostdin', ...args], { timeoutMs: 30 * 60_000 });
    if (r.code !== 0) throw new Error(`ffmpeg could not read the audio: ${lastLine(r.stderr)}`);
    return r;
  };
  return {
    available() {
      checked ??= Promise.all([run(opts.ffmpegPath, ['-version']), run(opts.ffprobePath, ['-version'])]).then(
        ([a, b]) => a.code === 0 && b.code === 0,
        () => false,
      );
      return checked;
    },
    async probe(path) {
      const r = await run(opts.ffprobePath, ['-v', 'error', '-show_entries', 'format=duration:stream=channels,codec_name,codec_type', '-of', 'json', path], { timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`ffprobe could not read the audio: ${lastLine(r.stderr)}`);
      const info = JSON.parse(r.stdout) as { format?: { duration?: string }; streams?: Array<{ codec_type?: string; channels?: number; codec_name?: string }> };
      const audio = info.streams?.find((s) => s.codec_type === 'audio');
      if (!audio) throw new Error('The file has no audio stream');
      const duration = Number(info.format?.duration);
      return { durationSec: Number.isFinite(duration) ? duration : null, channels: audio.channels ?? null, codec: audio.codec_name ?? null };
    },
    async silences(path, minSeconds) {
      const r = await ffmpeg(['-i', path, '-af', `silencedetect=noise=-35dB:d=${minSeconds}`, '-f', 'null', '-']);
      const out: Array<[number, number]> = [];
      let start: number | null = null;
      for (const m of r.stderr.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
        const t = Math.max(0, Number(m[2]));
        if (m[1] === 'start') start = t;
        else if (start !== null) {
          out.push([start, t]);
          start = null;
        }
      }
      return out;
    },
    async cut(path, out, startSec, seconds, channel) {
      const filter = channel === undefined ? ['-ac', '1'] : ['-af', `pan=mono|c0=c${channel}`];
      await ffmpeg(['-y', '-ss', startSec.toFixed(3), '-t', seconds.toFixed(3), '-i', path, '-vn', ...filter, '-ar', '16000', '-c:a', 'flac', out]);
    },
    async channelsAlike(path) {
      // Two people on two channels are unrelated signals: the difference of the channels is about as
      // loud as their sum. One source on both channels (a stereo file of a mono recording, two mics
      // in one room, a channel at lower gain) makes the difference much quieter than the sum.
      const r = await ffmpeg([
        '-i', path, '-filter_complex', '[0:a]asplit[a][b];[a]pan=mono|c0=c0-c1,volumedetect[d];[b]pan=mono|c0=c0+c1,volumedetect[s]',
        '-map', '[d]', '-f', 'null', '-', '-map', '[s]', '-f', 'null', '-',
      ]);
      const mean = (label: string) => {
        const m = new RegExp(`\\[Parsed_volumedetect_${label} [^\\]]*\\] mean_volume: (-?[\\d.]+|-inf) dB`).exec(r.stderr)?.[1];
        return m === undefined || m === '-inf' ? -Infinity : Number(m);
      };
      const difference = mean('2');
      const sum = mean('4');
      return !(difference - sum > -3);
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) || 'unknown error';
}

/** Duration and channels of a WAV file from its header, for when ffprobe is not installed. */
export async function wavInfo(path: string): Promise<AudioInfo> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const size = (await fh.stat()).size;
    let at = 12;
    let channels: number | null = null;
    let byteRate: number | null = null;
    while (at + 8 <= bytesRead) {
      const id = head.toString('ascii', at, at + 4);
      const len = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 16 <= bytesRead) {
        channels = head.readUInt16LE(at + 10);
        byteRate = head.readUInt32LE(at + 16);
      }
      if (id === 'data') {
        const dataBytes = Math.min(len, size - at - 8);
        return { durationSec: byteRate ? dataBytes / byteRate : null, channels, codec: 'pcm' };
      }
      at += 8 + len + (len % 2);
    }
    return { durationSec: null, channels, codec: 'pcm' };
  } finally {
    await fh.close();
  }
}
