// Turns what someone said into a third-person report ("I lost my dog" said by Lucy → "Lucy lost
// Lucy's dog"), the form summaries of dialogues are written in.
import { getCompromise } from './nlp.js';
import type { Token } from './transcript.js';
import { capitalise } from './text.js';

const MODALS = new Set(['can', 'could', 'will', 'would', 'should', 'might', 'must', 'may', 'shall', "'ll", "'d", 'ca', 'wo']);

function presentThirdPerson(verb: string): string {
  const c = getCompromise()(verb).verbs().conjugate()[0] as { Infinitive?: string; PresentTense?: string } | undefined;
  return c && c.Infinitive === verb && c.PresentTense ? c.PresentTense : verb;
}

/** Agreement for a singular third-person subject replacing "I" or "you". */
function agree(tok: Token): string | null {
  switch (tok.norm) {
    case 'am':
    case 'are':
    case "'m":
    case "'re":
      return 'is';
    case 'were':
      return 'was';
    case 'have':
    case "'ve":
      return 'has';
    case 'do':
      return 'does';
  }
  if (MODALS.has(tok.norm)) return null;
  if (tok.pos === 'VERB' && /^[a-z]+$/.test(tok.norm)) {
    const v = presentThirdPerson(tok.norm);
    return v !== tok.norm ? v : null;
  }
  return null;
}

function join(words: string[]): string {
  return words
    .join(' ')
    .replace(/\s+(n't|'s|'m|'re|'ve|'ll|'d)\b/gi, '$1')
    .replace(/\b(is|has|does|was)(n't)/gi, '$1$2')
    .replace(/\s+([,.!?;:%)])/g, '$1')
    .replace(/([($])\s+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Third-person rendering of one utterance by `self` addressed to `other`. */
export function toThirdPerson(tokens: Token[], self: string, other: string): string {
  const out: string[] = [];
  let subjectReplaced = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const next = tokens[i + 1];
    const nextIsVerbish = !!next && (next.pos === 'VERB' || next.pos === 'AUX' || MODALS.has(next.norm) || /^'(?:m|re|ve|ll|d)$/.test(next.norm));
    if (subjectReplaced) {
      subjectReplaced = false;
      const a = agree(tok);
      if (a) {
        out.push(a);
        continue;
      }
      // "I really want" → look one word further for the verb.
      if (tok.pos === 'ADV' && next) {
        out.push(tok.value);
        subjectReplaced = true;
        continue;
      }
    }
    switch (tok.norm) {
      case 'i':
        out.push(self);
        subjectReplaced = true;
        continue;
      case 'me':
      case 'myself':
        out.push(self);
        continue;
      case 'my':
      case 'mine':
        out.push(`${self}'s`);
        continue;
      case 'you':
        out.push(other);
        subjectReplaced = nextIsVerbish;
        continue;
      case 'your':
      case 'yours':
        out.push(`${other}'s`);
        continue;
      case 'yourself':
        out.push(other);
        continue;
      case 'we':
        out.push('they');
        continue;
      case 'us':
        out.push('them');
        continue;
      case 'our':
        out.push('their');
        continue;
      case 'ours':
        out.push('theirs');
        continue;
      case 'ourselves':
        out.push('themselves');
        continue;
    }
    out.push(tok.value);
  }
  return join(out);
}

/** Lower-cases the first letter unless the text starts with a name. */
function lowerFirst(text: string, first: Token | undefined, names: string[]): string {
  if (!first || first.pos === 'PROPN' || names.some((n) => text.startsWith(n))) return text;
  return text.replace(/^(\w)/, (c) => c.toLowerCase());
}

const WH = /^(?:what|which|how|why|where|when|who|whose|whom)\b/i;
const SUGGEST = /^(?:how about|what about|why don't (?:you|we)|why not|let's|let us|you (?:should|could|'d better|had better|might want to)|maybe (?:you|we) (?:could|should)|i (?:suggest|recommend|think you should)|shall we)\b/i;
const REQUEST = /^(?:can|could|would|will) you (?:please )?|^please /i;
const YESNO = /^(?:do|does|did|are|is|was|were|have|has|can|could|would|will|should|shall|may|might|am)\b/i;

/**
 * A reporting clause for an utterance: "A asks B …", "A suggests …", "A asks B to …", or a plain
 * third-person statement. `tokens` are the utterance's tokens (one sentence).
 */
export function reportUtterance(tokens: Token[], self: string, other: string): string {
  const text = tokens.map((t) => t.value).join(' ');
  const body = (skipWords: number) => {
    let skip = 0;
    let k = 0;
    while (k < tokens.length && skip < skipWords) {
      if (tokens[k].pos !== 'PUNCT') skip++;
      k++;
    }
    const rest = tokens.slice(k).filter((t, idx, arr) => !(idx === arr.length - 1 && t.pos === 'PUNCT'));
    return toThirdPerson(rest, self, other);
  };
  const question = /\?\s*$/.test(text);
  const lower = text.toLowerCase().replace(/\s+'/g, "'").replace(/\s+n't/g, "n't");
  const suggestion = lower.match(SUGGEST);
  if (suggestion) {
    const words = suggestion[0].trim().split(/\s+/).length;
    return `${self} suggests ${body(words)}`;
  }
  const request = lower.match(REQUEST);
  if (request && question) {
    const words = request[0].trim().split(/\s+/).length;
    return `${self} asks ${other} to ${body(words)}`;
  }
  if (question && WH.test(lower)) return `${self} asks ${other} ${lowerFirst(toThirdPerson(tokens.slice(0, -1), self, other), tokens[0], [self, other])}`;
  if (question && YESNO.test(lower)) return `${self} asks ${other} whether ${body(1)}`;
  if (question) return `${self} asks ${other} about ${lowerFirst(toThirdPerson(tokens.slice(0, -1), self, other), tokens[0], [self, other])}`;
  const plain = toThirdPerson(tokens, self, other);
  if (/^i\b/i.test(text.trim())) return capitalise(plain).replace(/[.!]$/, '');
  return `${self} says ${lowerFirst(plain, tokens[0], [self, other]).replace(/[.!]$/, '')}`;
}
