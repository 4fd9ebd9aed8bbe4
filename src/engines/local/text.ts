// Spoken-language clean-up. Transcripts are full of disfluencies that make extracted sentences
// unreadable (and never appear in human summaries), so everything shown to a user passes here.

/** Single-word hesitations; always fillers. */
const HESITATIONS = new Set([
  'um', 'umm', 'uh', 'uhh', 'uhm', 'erm', 'er', 'ah', 'ahh', 'hmm', 'hm', 'mm', 'mmm', 'mhm', 'mm-hmm', 'uh-huh', 'um-hum', 'eh', 'huh',
]);

/** Words that start a turn without carrying content; stripped from the front of extracted sentences. */
const LEADING_MARKERS = new Set(['so', 'okay', 'ok', 'well', 'and', 'but', 'yeah', 'yep', 'alright', 'oh', 'anyway', 'um', 'uh', 'hmm', 'mm', 'ah', 'or', 'hi', 'hello', 'hey']);
/** Stripped only when punctuation sets them off ("Great. We…", "Right, so…"), not in "Good point". */
const SET_OFF_MARKERS = new Set(['yes', 'no', 'right', 'now', 'also', 'then', 'sure', 'cool', 'great', 'good', 'fine', 'true', 'exactly', 'because', 'wait', 'look', 'listen', 'perfect', 'actually', 'honestly', 'anyways']);

/** Joins ASR-style split contractions ("we 're", "do n't") and hyphens ("cut - down"). */
export function normaliseSpacing(text: string): string {
  return text
    .replace(/(\w) (n't)\b/gi, '$1$2')
    .replace(/(\w) ('(?:s|re|ve|ll|d|m|t))\b/gi, '$1$2')
    .replace(/(\w) - (\w)/g, '$1-$2')
    .replace(/(\ws) '(?=\s)/g, "$1'")
    .replace(/\s+/g, ' ')
    .trim();
}

const HESITATION_RE = new RegExp(`(^|[\\s,;.!?-])(?:${[...HESITATIONS].map((h) => h.replace('-', '\\-')).join('|')})(?=$|[\\s,;.!?-])[,]?`, 'gi');

/** No word is longer; longer runs are URLs, hashes, base64 or attacks. */
export const MAX_TOKEN_CHARS = 64;
const LONG_TOKEN = new RegExp(`\\S{${MAX_TOKEN_CHARS + 1},}`, 'gu');
const TOKEN_HEAD = new RegExp(`^\\S{${MAX_TOKEN_CHARS}}`, 'u');

/**
 * The text as analysis sees it: runs of more than MAX_TOKEN_CHARS non-space characters are cut to
 * that length and marked with "…". Stemming costs grow with the square of a token's length (a
 * 100 KB token took a minute), and no real word comes near the cap. Stored text is never changed.
 */
export function capLongTokens(text: string): string {
  // Counted in code points, so a surrogate pair is never split.
  return text.replace(LONG_TOKEN, (token) => `${TOKEN_HEAD.exec(token)![0]}…`);
}

/** Lower-cased word tokens, keeping inner apostrophes and hyphens. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:['’-][a-z0-9]+)*/g) ?? [];
}

export function wordCount(text: string): number {
  return words(text).length;
}

/**
 * Counts filler occurrences with context rules: "you know" is a filler unless it is a real
 * question ("do you know"), "I mean" only at a clause start, "like" only when set off by commas
 * or doubled, "sort of"/"kind of" only as hedges (not "what kind of").
 */
export function fillerCount(text: string): number {
  const t = ` ${text.toLowerCase().replace(/[’]/g, "'")} `;
  let n = 0;
  for (const w of words(text)) if (HESITATIONS.has(w)) n++;
  n += (t.match(/(?<!\b(?:do|did|does|don't|if|would|you|what)\s)\byou know\b(?!\s+(?:what|how|who|when|where|why|that|if|whether|the|a|about|him|her|them)\b)/g) ?? []).length;
  n += (t.match(/(?:^|[,.;!?]\s*|\s(?:and|but|so)\s)\s*i mean\b/g) ?? []).length;
  n += (t.match(/,\s*like\s*,|(?:^|[.!?]\s+)like\s*,|\blike\s+(?:um|uh)\b|\blike\s+like\b/g) ?? []).length;
  n += (t.match(/(?<!\b(?:what|which|this|that|some|any|the|a|one|same|every|all|these|those|different)\s)\b(?:sort|kind) of\b/g) ?? []).length;
  n += (t.match(/\b(?:basically|literally)\b/g) ?? []).length;
  return n;
}

const SHORT_WORDS = new Set(['a', 'an', 'i', 'in', 'on', 'at', 'to', 'so', 'as', 'is', 'it', 'be', 'he', 'we', 'no', 'of', 'or', 'me', 'my', 'us', 'up', 'do', 'go', 'if', 'by', 'am', 'oh', 'ok', 'hi']);

function isFragment(tok: string): boolean {
  if (/[-–]$/.test(tok)) return true;
  const w = tok.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return false;
  if (!/[aeiouy]/.test(w)) return true;
  return w.length <= 2 && !SHORT_WORDS.has(w);
}

/**
 * Removes a repeated run of one to three words ("the the", "I don I don't", "we we") and
 * false-start fragments ("f feeling") so a sentence reads as intended.
 */
export function removeRepetitions(text: string): string {
  const toks = text.split(/\s+/).filter(Boolean);
  const bare = (w: string) => w.toLowerCase().replace(/[^a-z0-9']/g, '');
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    let skipped = false;
    for (let k = 3; k >= 1; k--) {
      if (i + 2 * k > toks.length) continue;
      let same = true;
      for (let j = 0; j < k; j++) {
        const a = bare(toks[i + j]);
        const b = bare(toks[i + k + j]);
        // The last word of the first copy may be a cut-off prefix of the second ("don" → "don't").
        const ok = a === b || (j === k - 1 && a.length > 0 && b.startsWith(a) && a.length < b.length && /[^,.;]$/.test(toks[i + j]));
        if (!ok || !a) {
          same = false;
          break;
        }
      }
      // A lone prefix is a false start only when it cannot be a word itself: "f feeling" and
      // "th this" are cut-offs, "the theory" and "in inside" are not.
      if (same && k === 1 && bare(toks[i]) !== bare(toks[i + 1]) && !isFragment(toks[i])) same = false;
      if (same) {
        i += k - 1;
        skipped = true;
        break;
      }
    }
    if (!skipped) out.push(toks[i]);
  }
  return out.join(' ');
}

function stripFillerPhrases(text: string): string {
  return (
    text
      .replace(HESITATION_RE, '$1')
      .replace(/,\s*(?:you know|i mean)\s*,\s*/gi, ' ')
      .replace(/(^|[,.;!?]\s*)you know,?\s*/gi, '$1')
      .replace(/,\s*you know\s*(?=[,.;!?]|$)/gi, '')
      .replace(/(^|[,.;!?]\s*)i mean,?\s*/gi, '$1')
      .replace(/,\s*like\s*,/gi, ',')
      .replace(/(^|[.!?]\s+)like\s*,\s*/gi, '$1')
      .replace(/\blike\s+like\b/gi, 'like')
      .replace(/\b(?:basically|literally),?\s+/gi, '')
      // "for like twenty minutes": "like" as a hedge before an amount.
      .replace(/\b(for|in|about|around|at|took|takes|after|within|maybe)\s+like\s+(?=(?:a |an )?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|a hundred|a few|half|an hour|a week|a day)\b)/gi, '$1 ')
      // "--" and "..." mark trailing-off or restarts in transcripts.
      .replace(/\s*(?:--|…|\.\.\.)\s*/g, ', ')
  );
}

/** Letters that never stand alone as words; a lone one is a cut-off word ("s couple", "d you"). */
const FRAGMENT = /(^|\s)(?:[b-hj-z]|[bcdfghjklmnpqrstvwxz]{2,3})(?=\s|,|$)/gi;
/** Abbreviations made of consonants that are real words in speech. */
const CONSONANT_WORDS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'tv', 'pc', 'pm', 'hr', 'mph', 'kg', 'km', 'cm', 'mm', 'ml', 'nhs', 'bbc', 'cd', 'dvd', 'lcd', 'mp', 'ms', 'rsvp', 'pdf', 'sql', 'xml', 'html', 'css', 'js', 'vs', 'etc', 'ltd', 'llc', 'nyc', 'uk', 'us', 'xp', 'b', 'c', 'x', 'y', 'z', 'n', 'k']);

function dropFragments(text: string): string {
  return text.replace(FRAGMENT, (m, lead: string) => (CONSONANT_WORDS.has(m.trim().toLowerCase()) || /[A-Z]{2}/.test(m) ? m : lead));
}

function tidyPunctuation(text: string): string {
  return text
    .replace(/\s+([,.;!?])/g, '$1')
    .replace(/([,;])(?:\s*[,;])+/g, '$1')
    .replace(/,\s*([.!?])/g, '$1')
    .replace(/^[\s,;.:-]+/, '')
    .replace(/[\s,;:-]+$/, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function stripLeadingMarkers(text: string): string {
  let t = text;
  for (let guard = 0; guard < 6; guard++) {
    const only = t.match(/^([A-Za-z-]+)[.,!]*$/);
    if (only && (LEADING_MARKERS.has(only[1].toLowerCase()) || SET_OFF_MARKERS.has(only[1].toLowerCase()))) return '';
    // A dash after an opening word sets it off as a comma does ("No — oh, actually, …").
    const m = t.match(/^([A-Za-z-]+)\b\s*([,.!—–]?)\s+/);
    if (!m) break;
    const w = m[1].toLowerCase();
    if (!LEADING_MARKERS.has(w) && !(SET_OFF_MARKERS.has(w) && m[2])) break;
    // Keep "no" when it carries the answer to a question ("No, that's too expensive").
    if (w === 'no' && !/^no\b\s*[,.—–]?\s+(?:so|and|but|okay|well|um|uh|oh|actually|wait)\b/i.test(t)) break;
    t = t.slice(m[0].length);
  }
  return t;
}

export function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * Turns a raw transcript sentence into readable prose: fillers, repetitions, false starts and
 * leading discourse markers removed; punctuation tidied; first letter capitalised; a final
 * period added. Returns "" when nothing of substance is left.
 */
export function cleanSentence(raw: string, opts: { keepLeading?: boolean } = {}): string {
  let t = normaliseSpacing(raw);
  t = stripFillerPhrases(t);
  t = dropFragments(t);
  t = removeRepetitions(t);
  // A dangling function word before a comma is a false start ("The, if I find…").
  t = t.replace(/^(?:the|a|an|to|of|and|in|on|it's|that|this)\s*,\s*/i, '');
  t = tidyPunctuation(t);
  if (!opts.keepLeading) t = stripLeadingMarkers(t);
  t = tidyPunctuation(t);
  // A last clause that trails off ("…, and the showcase build is, you know.") is left out.
  const trailing = t.match(/^(.*\S),\s+[^,.!?]*\b(?:is|are|was|were|the|a|an|to|of|and|but|or|so|that|with|for|in|on|at|my|your|our|their|its|just|be)[.!?]*$/i);
  if (trailing && trailing[1].split(/\s+/).length >= 4) t = trailing[1];
  if (!/[a-z0-9]/i.test(t)) return '';
  t = capitalise(t);
  if (!/[.!?]$/.test(t)) t += '.';
  return t;
}

/** Cleans text made of several sentences (e.g. a whole turn) without dropping its first words. */
export function cleanText(raw: string): string {
  return cleanSentence(raw, { keepLeading: true });
}

/** Shortens to at most `max` words at a clause boundary when possible. */
export function truncateWords(text: string, max: number): string {
  const toks = text.split(/\s+/);
  if (toks.length <= max) return text;
  let cut = max;
  for (let i = max; i >= Math.floor(max * 0.6); i--) {
    if (/[,;:]$/.test(toks[i - 1])) {
      cut = i;
      break;
    }
  }
  return toks.slice(0, cut).join(' ').replace(/[,;:]$/, '') + '…';
}

export function titleCase(text: string): string {
  const small = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'nor', 'of', 'on', 'or', 'the', 'to', 'vs', 'with']);
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => {
      if (/[A-Z].*[A-Z]/.test(w) || /\d/.test(w)) return w;
      const lw = w.toLowerCase();
      return i > 0 && small.has(lw) ? lw : lw[0].toUpperCase() + lw.slice(1);
    })
    .join(' ');
}
