// Audio containers recognised from their first bytes: a file named .mp3 that holds a WebVTT file is
// a transcript, and a recording called "meeting" with no extension is still audio.

export type AudioFormat = 'wav' | 'mp3' | 'm4a' | 'aac' | 'ogg' | 'opus' | 'webm' | 'flac';

export interface DetectedAudio {
  format: AudioFormat;
  mediaType: string;
}

const mediaTypes: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  webm: 'audio/webm',
  flac: 'audio/flac',
};

/** Bytes needed to tell the formats apart (an Ogg page names its codec within its first 64 bytes). */
export const SNIFF_BYTES = 64;

const ascii = (b: Uint8Array, at: number, text: string) => text.split('').every((c, i) => b[at + i] === c.charCodeAt(0));

/** The audio format of a file from its first bytes, or null when it is not (recognised) audio. */
export function detectAudio(head: Uint8Array): DetectedAudio | null {
  const format = sniff(head);
  return format ? { format, mediaType: mediaTypes[format] } : null;
}

function sniff(b: Uint8Array): AudioFormat | null {
  if (b.length < 4) return null;
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return 'wav';
  if (ascii(b, 0, 'fLaC')) return 'flac';
  if (ascii(b, 0, 'OggS')) return b.length >= 36 && ascii(b, 28, 'OpusHead') ? 'opus' : 'ogg';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  // ISO base media (M4A, MP4 audio): a `ftyp` box first.
  if (ascii(b, 4, 'ftyp')) return 'm4a';
  if (ascii(b, 0, 'ID3')) return 'mp3';
  // An MPEG frame header: 11 sync bits, then the layer. ADTS (AAC) has layer 00; MP3 has layer 01.
  if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) {
    const layer = (b[1]! >> 1) & 0x3;
    if ((b[1]! & 0xf6) === 0xf0) return 'aac';
    if (layer === 1) return 'mp3';
  }
  return null;
}
