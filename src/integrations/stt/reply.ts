// A provider's reply as timed segments. The AI SDK's common result keeps text and times but drops
// speakers, so the raw body is read first for what the providers add: Deepgram's diarized
// utterances and words, AssemblyAI's utterances and words (in milliseconds), OpenAI's verbose_json
// segments and words (and diarized segments), ElevenLabs' words with their speaker_id.

export interface TimedSegment {
  startSec: number;
  endSec: number;
  text: string;
  /** The provider's speaker label (diarization), or null. */
  speaker: string | null;
}

type SdkSegment = { text: string; startSecond: number; endSecond: number };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

/**
 * A provider's speaker label as people read it. Deepgram numbers speakers from 0 and ElevenLabs
 * calls them `speaker_0`, …; people count from 1. AssemblyAI and OpenAI use letters.
 */
const speakerName = (v: unknown): string | null => {
  if (num(v)) return `Speaker ${v + 1}`;
  if (!str(v) || !v.trim()) return null;
  const label = v.trim();
  const n = /^speaker_(\d+)$/i.exec(label);
  if (n) return `Speaker ${Number(n[1]) + 1}`;
  return /^[A-Z]$/.test(label) ? `Speaker ${label}` : label;
};

/**
 * Top-level words: OpenAI's verbose_json (`word`), or ElevenLabs' (`text`, `speaker_id`, and a
 * `type`: the spaces between words and sound events such as "(laughter)" are not words).
 */
const topLevelWords = (b: any) =>
  (b.words as any[])
    .filter((w) => w?.type === undefined || w?.type === null || w?.type === 'word')
    .map((w) => ({ startSec: w?.start, endSec: w?.end, text: w?.word ?? w?.text, speaker: speakerName(w?.speaker ?? w?.speaker_id) }));

/** Seconds, or milliseconds (AssemblyAI). */
export type TimeUnits = 's' | 'ms';

const ms = (v: unknown) => (num(v) ? v / 1000 : v);

export function segmentsFromReply(body: unknown, sdkSegments: SdkSegment[], units: TimeUnits = 's'): TimedSegment[] {
  const b = body as any;
  if (units === 'ms') {
    // AssemblyAI: utterances (speaker turns, with speaker_labels) or words, at the top level.
    if (Array.isArray(b?.utterances) && b.utterances.length) {
      return clean(b.utterances.map((u: any) => ({ startSec: ms(u?.start), endSec: ms(u?.end), text: u?.text, speaker: speakerName(u?.speaker) })));
    }
    const words = wordsFromReply(body, 'ms');
    if (words?.length) return groupWords(words);
    return clean([{ startSec: 0, endSec: 0, text: b?.text, speaker: null }]);
  }
  // Deepgram: utterances (speaker turns) when asked for, else diarized words grouped by speaker.
  const utterances = b?.results?.utterances;
  if (Array.isArray(utterances) && utterances.length) {
    return clean(utterances.map((u: any) => ({ startSec: u?.start, endSec: u?.end, text: u?.transcript, speaker: speakerName(u?.speaker) })));
  }
  const dgWords = b?.results?.channels?.[0]?.alternatives?.[0]?.words;
  if (Array.isArray(dgWords) && dgWords.length) {
    return groupWords(dgWords.map((w: any) => ({ startSec: w?.start, endSec: w?.end, text: w?.punctuated_word ?? w?.word, speaker: speakerName(w?.speaker) })));
  }
  // OpenAI verbose_json / diarized_json segments (a diarizing model labels each segment).
  if (Array.isArray(b?.segments) && b.segments.length) {
    return clean(b.segments.map((s: any) => ({ startSec: s?.start, endSec: s?.end, text: s?.text, speaker: speakerName(s?.speaker) })));
  }
  if (Array.isArray(b?.words) && b.words.length) return groupWords(topLevelWords(b));
  if (sdkSegments.length) return clean(sdkSegments.map((s) => ({ startSec: s.startSecond, endSec: s.endSecond, text: s.text, speaker: null })));
  // Text without any timing (a json reply): one segment at the start of the audio.
  const text = typeof b?.text === 'string' ? b.text : '';
  return clean([{ startSec: 0, endSec: num(b?.duration) ? b.duration : 0, text, speaker: null }]);
}

/** The reply's single words with their times (and speakers), when the provider sent them. */
export function wordsFromReply(body: unknown, units: TimeUnits = 's'): TimedSegment[] | null {
  const b = body as any;
  if (units === 'ms') {
    if (!Array.isArray(b?.words) || !b.words.length) return null;
    return clean(b.words.map((w: any) => ({ startSec: ms(w?.start), endSec: ms(w?.end), text: w?.text, speaker: speakerName(w?.speaker) })));
  }
  const dg = b?.results?.channels?.[0]?.alternatives?.[0]?.words;
  if (Array.isArray(dg) && dg.length) return clean(dg.map((w: any) => ({ startSec: w?.start, endSec: w?.end, text: w?.punctuated_word ?? w?.word, speaker: speakerName(w?.speaker) })));
  if (Array.isArray(b?.words) && b.words.length) return clean(topLevelWords(b));
  return null;
}

function clean(list: Array<{ startSec: unknown; endSec: unknown; text: unknown; speaker: string | null }>): TimedSegment[] {
  const out: TimedSegment[] = [];
  for (const s of list) {
    if (!str(s.text) || !s.text.trim() || !num(s.startSec)) continue;
    const startSec = Math.max(0, s.startSec);
    out.push({ startSec, endSec: num(s.endSec) && s.endSec >= startSec ? s.endSec : startSec, text: s.text.trim().replace(/\s+/g, ' '), speaker: s.speaker });
  }
  return out.sort((a, b) => a.startSec - b.startSec);
}

/**
 * Words into segments: a new one at a change of speaker, at a pause over a second, after a pause
 * once a segment is 10 s long, or at a sentence's end past 30 words.
 */
export function groupWords(words: Array<{ startSec: unknown; endSec: unknown; text: unknown; speaker: string | null }>): TimedSegment[] {
  const out: TimedSegment[] = [];
  let count = 0;
  for (const w of clean(words)) {
    const last = out.at(-1);
    const pause = last ? w.startSec - last.endSec : Infinity;
    const full = last && ((count >= 30 && /[.?!]$/.test(last.text)) || (last.endSec - last.startSec >= 10 && pause >= 0.3));
    if (last && last.speaker === w.speaker && pause <= 1 && !full) {
      last.text += ` ${w.text}`;
      last.endSec = Math.max(last.endSec, w.endSec);
      count++;
    } else {
      out.push({ ...w });
      count = 1;
    }
  }
  return out;
}

/**
 * The message in a provider's error reply, whichever shape it has: OpenAI's `{error: {message}}`,
 * AssemblyAI's `{error}`, ElevenLabs' `{detail: {message}}` (or a validation error's
 * `{detail: [{msg}]}`), Deepgram's `{err_msg}`. The SDK's own parsing knows only its provider's
 * shape and otherwise says no more than the HTTP status text.
 */
export function errorMessageOf(body: unknown): string | null {
  let b: any = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return null;
    }
  }
  const candidates = [b?.error?.message, b?.error, b?.detail?.message, b?.detail, Array.isArray(b?.detail) ? b.detail[0]?.msg : undefined, b?.err_msg, b?.message];
  const found = candidates.find((c) => typeof c === 'string' && c.trim());
  return found ? found.trim() : null;
}
