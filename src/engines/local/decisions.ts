// Decisions: sentences where the group settles something ("we decided…", "let's go with…").
import type { PointDetail } from '../schemas.js';
import { capitalise, cleanText, normaliseSpacing, truncateWords } from './text.js';
import { sentenceEvidence, type Transcript } from './transcript.js';

/**
 * Each pattern captures the decided content in its last group; `lead` restores the verb the
 * pattern consumed ("let's go with X" → "Go with X"). Ordered from most to least explicit.
 */
const PATTERNS: Array<{ re: RegExp; lead?: (m: RegExpMatchArray) => string }> = [
  { re: /\b(?:the|our|final|one) decision (?:is|was|would be)(?: that| to)?\s+(.+)/i },
  { re: /\b(?:we|they|you|i|the (?:group|team|committee|board))(?: have| had|'ve|'d)? (?:all )?(?:decided|agreed|resolved|settled|concluded)(?: on| that| to| upon)?\s+(.+)/i },
  { re: /\b(?:it's|it is|it was|that's) (?:been )?(?:decided|agreed|settled|approved)(?: that| to| on)?\s*(.*)/i },
  { re: /\b(?:let's|let us|we'll|we will|we're going to|we are going to|we're gonna) (go|stick|stay|proceed) with\s+(.+)/i, lead: (m) => `${m[1]} with` },
  { re: /\b(?:we're|we are) (?:going|gonna) with\s+(.+)/i, lead: () => 'Go with' },
  { re: /\b(?:we're|we are) (?:all )?(?:agreed|in agreement)(?: that| on| to)?\s*(.*)/i },
  { re: /\b(?:consensus|agreement) (?:is|was)(?: that| to)?\s+(.+)/i },
  { re: /\b(?:approved|signed off on)\s+(.+)/i, lead: () => 'Approved' },
  { re: /\b(?:we'll|we will|let's) (use|choose|pick|adopt|keep|drop|go for|opt for)\s+(.+)/i, lead: (m) => m[1] },
];

/** Hypotheticals, open questions and earlier decisions being recalled are not this meeting's decisions. */
const NOT_DECIDED = /\b(?:decided|agreed) (?:last|previously|earlier|before|back)\b|\bhad (?:already )?(?:decided|agreed)\b|\b(?:if we|whether|should we|shall we|do we|did we|have we|haven't|not yet|not decided|undecided|can't decide|couldn't decide|yet to|to be decided|tbd|maybe|might|perhaps)\b|\?\s*$/i;

export function extractDecisions(t: Transcript, limit = 10): PointDetail[] {
  const out: PointDetail[] = [];
  const seen = new Set<string>();
  for (const s of t.sentences) {
    if (s.words < 4) continue;
    const text = normaliseSpacing(s.raw);
    if (NOT_DECIDED.test(text)) continue;
    for (const { re, lead } of PATTERNS) {
      const m = text.match(re);
      if (!m) continue;
      let content = (m[m.length - 1] ?? '').trim();
      // "We agreed." with nothing after it: the sentence itself is the best description.
      if (content.split(/\s+/).length < 3) content = text;
      else if (lead) content = `${lead(m)} ${content}`;
      const cleaned = capitalise(truncateWords(cleanText(content).replace(/[.!?]$/, ''), 20));
      if (cleaned.split(/\s+/).length < 3) break;
      const key = cleaned.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ text: cleaned, evidence: [sentenceEvidence(t, s)] });
      }
      break;
    }
    if (out.length >= limit) break;
  }
  return out;
}
