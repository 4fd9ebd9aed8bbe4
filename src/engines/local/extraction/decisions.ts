// From scored sentences to decisions: what was settled, in its final state. A later statement on
// the same subject replaces an earlier one (a reversal keeps only the last state, with the earlier
// evidence), and anything parked or left open is not a decision.
import type { PointDetail } from '../../schemas.js';
import { capitalise, cleanText, truncateWords } from '../text.js';
import { sentenceEvidence, type Sentence, type Transcript } from '../transcript.js';
import type { Scored } from './items.js';
import { overlap } from './wording.js';

/** Parked or open: "let's park that", "we'll revisit", "not decided yet", "leave it open". */
export const PARKED =
  /\b(?:park(?:ed)?|put (?:it|that|this) on hold|table (?:it|that|this)|revisit|come back to (?:it|that|this)|leave (?:it|that|this) open|(?:not|haven't|hasn't been|isn't|wasn't) (?:yet )?(?:decided|settled|agreed)|undecided|still open|open question|to be decided|tbd|sleep on it|think about it (?:more|some more)|decide (?:later|next time|another time))\b/i;

/** Explicit markers that the group settled something. */
export const SETTLED =
  /\b(?:decision(?: is)?:|(?:the|our|final) decision (?:is|was)|let's go with|we'll go with|we're going with|going with|(?:so )?(?:it's|that's|we're) (?:decided|settled|agreed)|(?:let's )?call (?:it|that) decided|we (?:have )?(?:decided|agreed)|agreed[.!]?$|done deal)\b/i;

const REVERSAL = /\b(?:actually|instead|scratch that|on second thought|change of plan|changed our minds?|let's not|no wait|rather than)\b/i;

/** Words that introduce a decision and carry none of its content. */
const LEAD = /^(?:(?:so|okay|ok|alright|right|well|and|then|yeah|yes|good|great|fine|perfect)[,.!]?\s+)*(?:(?:the |our |final )?decision(?: is| was)?[:,]?\s+|we(?:'ve| have)? (?:all )?(?:decided|agreed)(?: that| to| on)?\s+|it's (?:decided|agreed)(?: that)?\s+|let's go with\s+(?=\S))?/i;

export function decisionWording(raw: string): string {
  let text = cleanText(raw).replace(/[.!?]+$/, '');
  const lead = text.match(LEAD);
  if (lead && lead[0].length < text.length - 8) {
    const went = /let's go with\s+$/i.test(lead[0]);
    text = (went ? 'Go with ' : '') + text.slice(lead[0].length);
  }
  return capitalise(truncateWords(text, 22));
}

interface Draft {
  text: string;
  p: number;
  sentences: Sentence[];
  last: number;
}

export function buildDecisions(t: Transcript, scored: Scored[], threshold: number, limit = 12): PointDetail[] {
  const drafts: Draft[] = [];
  for (const { s, p } of scored) {
    const explicit = SETTLED.test(s.raw);
    if ((p < threshold && !explicit) || s.words < 3) continue;
    // Parked in this sentence or in the next turn ("let's park that") is not settled.
    const next = t.segments[s.seg + 1]?.text ?? '';
    if (PARKED.test(s.raw) || (PARKED.test(next) && !explicit)) continue;
    const text = decisionWording(s.raw);
    if (text.split(/\s+/).length < 3) continue;
    // "Actually, let's go with red instead" replaces the last decision even without shared words.
    const reversal = REVERSAL.test(s.raw) && drafts.length && s.seg - drafts[drafts.length - 1].last <= 20 ? drafts[drafts.length - 1] : undefined;
    const same = reversal ?? drafts.find((d) => overlap(d.text, text) >= 0.35);
    if (same) {
      same.sentences.push(s);
      // Later wording is the final state; an explicit settled marker also wins.
      if (s.seg >= same.last) {
        same.text = text;
        same.last = s.seg;
      }
      same.p = Math.max(same.p, p);
      continue;
    }
    drafts.push({ text, p: explicit ? Math.max(p, threshold) : p, sentences: [s], last: s.seg });
  }
  return drafts
    .sort((a, b) => b.p - a.p || a.last - b.last)
    .slice(0, limit)
    .sort((a, b) => a.sentences[0].seg - b.sentences[0].seg)
    .map((d) => ({ text: d.text, evidence: d.sentences.sort((a, b) => a.id - b.id).map((x) => sentenceEvidence(t, x)) }));
}
