// Key points as notes: which sentences make good points (informative, fluent, not addressed to
// someone in the room) and how each is written (rewritten in the third person, one sentence).
import { rewriteSentence, sentenceClean, type Voice } from './rewrite.js';
import { sentenceScore, type Pick, type Weights } from './summariser.js';
import { truncateWords } from './text.js';
import type { Sentence } from './transcript.js';

const SECOND_PERSON = /\byou(?:r|rs|rself)?\b|\byou['’]/i;

/** Informativeness, damped for disfluent sentences and for ones that only make sense to "you". */
export function pointScore(s: Sentence, w: Weights): number {
  const base = sentenceScore(s, w);
  if (base <= 0) return 0;
  const { clean, fluency: f } = sentenceClean(s);
  return base * f * f * (SECOND_PERSON.test(clean) ? 0.6 : 1);
}

export function pointText(p: Pick, voice: Voice): string {
  const text = rewriteSentence(p.sentence.raw, p.sentence.speaker, voice) || p.text;
  return truncateWords(text, 40);
}
