// Low-level text clean-up shared by the caption and transcript parsers.

/** Strips a leading BOM and turns CRLF / lone CR into LF so every parser sees one line ending. */
export function normalizeNewlines(input: string): string {
  const withoutBom = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return withoutBom.replace(/\r\n?/g, '\n');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '',
  rlm: '',
  zwj: '',
  zwnj: '',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

function codePointToString(code: number, original: string): string {
  // Out-of-range or surrogate code points would throw or produce broken strings; keep the source text instead.
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return original;
  return String.fromCodePoint(code);
}

/** Decodes the HTML entities caption tools emit; unknown entities are left as written. */
export function decodeEntities(input: string): string {
  if (!input.includes('&')) return input;
  return input.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (match, body: string) => {
    if (body[0] === '#') {
      const hex = body[1] === 'x' || body[1] === 'X';
      return codePointToString(Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10), match);
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named ?? match;
  });
}

/** Collapses runs of whitespace (including the NBSP that `&nbsp;` decodes to) into single spaces. */
export function collapseWhitespace(input: string): string {
  return input.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Heuristic binary sniff: real transcripts never contain NUL bytes and only a trace of other
 * control characters, while images, PDFs and archives are full of both.
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  if (sample.length === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0xfffd) suspicious++;
  }
  return suspicious / sample.length > 0.05;
}

/** Decodes an uploaded file, honouring UTF-16 BOMs (some Windows tools export captions that way). */
export function decodeFileData(data: Buffer | string): string {
  if (typeof data === 'string') return data;
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  return new TextDecoder('utf-8').decode(data);
}
