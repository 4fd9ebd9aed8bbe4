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
    case "'d":
      return 'would';
    case "'ll":
      return 'will';
  }
  if (MODALS.has(tok.norm)) return null;
  if (tok.pos === 'VERB' && /^[a-z]+$/.test(tok.norm)) {
    const v = presentThirdPerson(tok.norm);
    return v !== tok.norm ? v : null;
  }
  return null;
}

/** "can you help": after an inverted auxiliary the verb stays in its base form. */
function inverted(prev: Token | undefined): boolean {
  return !!prev && (prev.pos === 'AUX' || MODALS.has(prev.norm));
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

/**
 * Third-person rendering of one utterance by `self` addressed to `other`. `group` names "we" at
 * its first mention ("the team", read as plural); later mentions are "they". `keepYou` leaves
 * "you" alone, for multi-party talk where the addressee is unknown.
 */
export function toThirdPerson(all: Token[], self: string, other: string, opts: { group?: string; keepYou?: boolean } = {}): string {
  let groupNamed = !opts.group;
  const groupName = (plain: string, possessive = false) => {
    // A group that is itself "they" (a chat's two sides) is never "they's".
    if (groupNamed || opts.group === 'they') return plain;
    groupNamed = true;
    return possessive ? `${opts.group}'s` : opts.group!;
  };
  const tokens = all.filter((t) => t.pos !== 'SPACE');
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
      // A clitic after a name cannot stay a clitic ("Jayden'd"): spell it out.
      if (/^['’]/.test(tok.value) && /^[a-z]+$/.test(tok.norm)) {
        out.push(tok.norm);
        continue;
      }
      // "I really want" → look one word further for the verb.
      if (tok.pos === 'ADV' && next) {
        out.push(tok.value);
        subjectReplaced = true;
        continue;
      }
    }
    // "the team're" cannot stay a clitic after a group name: spell it out (plural).
    if (opts.group && out[out.length - 1] === opts.group && /^['’][a-z]+$/i.test(tok.value) && /^[a-z]+$/.test(tok.norm)) {
      out.push(tok.norm);
      continue;
    }
    const contraction = tok.norm.match(/^(i|you|we)['’](m|re|ve|ll|d|s)$/);
    if (opts.keepYou && (/^you(?:r|rs|rself)?$/.test(tok.norm) || contraction?.[1] === 'you')) {
      out.push(tok.value);
      continue;
    }
    if (contraction) {
      const who = contraction[1] === 'i' ? self : contraction[1] === 'you' ? other : groupName('they');
      const plural = contraction[1] === 'we';
      const verb = { m: 'is', re: plural ? 'are' : 'is', ve: plural ? 'have' : 'has', ll: 'will', d: 'would', s: 'is' }[contraction[2]]!;
      out.push(who, verb);
      continue;
    }
    switch (tok.norm) {
      case 'i':
        out.push(self);
        subjectReplaced = !inverted(tokens[i - 1]);
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
        subjectReplaced = nextIsVerbish && !inverted(tokens[i - 1]);
        continue;
      case 'your':
      case 'yours':
        out.push(`${other}'s`);
        continue;
      case 'yourself':
        out.push(other);
        continue;
      case 'we':
        out.push(groupName('they'));
        continue;
      case 'us':
      case "'s":
        // "let's" stays as said: "let the team" would turn a suggestion into a request.
        if (tokens[i - 1]?.norm === 'let' || tok.norm === "'s") break;
        out.push(groupName('them'));
        continue;
      case 'our':
        out.push(groupName('their', true));
        continue;
      case 'ours':
        out.push(groupName('theirs', true));
        continue;
      case 'ourselves':
        out.push(groupName('themselves'));
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
const LEADING = new Set(['well', 'so', 'look', 'listen', 'yes', 'yeah', 'oh', 'ok', 'okay', 'alright', 'hmm', 'um', 'uh', 'and', 'but', 'now', 'actually', 'hey', 'hi', 'hello', 'ah', 'er', 'anyway', 'right', 'sure', 'no', 'great', 'perfect', 'thanks']);

export function reportUtterance(all: Token[], self: string, other: string): string {
  let start = 0;
  const tokens0 = all.filter((t) => t.pos !== 'SPACE');
  // Discourse markers ("Well, …", "Look, …") say nothing in a report.
  while (start < tokens0.length - 2 && (LEADING.has(tokens0[start].norm) || (start > 0 && tokens0[start].norm === ',' && LEADING.has(tokens0[start - 1].norm)))) start++;
  if (tokens0[start]?.norm === ',') start++;
  const tokens = tokens0.slice(start);
  const text = tokens.map((t) => t.value).join(' ');
  // Drops the tokens that spell `prefix` (tokens split "let's" into "let" + "'s", so count letters).
  const body = (prefix: string) => {
    const want = prefix.toLowerCase().replace(/[^a-z']/g, '');
    let have = '';
    let k = 0;
    while (k < tokens.length && have.length < want.length) have += tokens[k++].value.toLowerCase().replace(/[^a-z']/g, '');
    const rest = tokens.slice(k).filter((t, idx, arr) => !(idx === arr.length - 1 && t.pos === 'PUNCT'));
    return toThirdPerson(rest, self, other);
  };
  /** "what do you think" → "what you think"; "how can I help" → "how I can help". */
  const indirect = (): Token[] => {
    const body0 = tokens.filter((t, idx, arr) => !(idx === arr.length - 1 && t.pos === 'PUNCT'));
    const [wh, aux, subj, ...rest] = body0;
    if (!aux || !subj || !/^(?:i|you|we|he|she|they|it)$/.test(subj.norm)) return body0;
    if (/^(?:do|does|did)$/.test(aux.norm)) return [wh, subj, ...rest];
    if (aux.pos === 'AUX' || MODALS.has(aux.norm)) return [wh, subj, aux, ...rest];
    return body0;
  };
  const question = /\?\s*$/.test(text);
  const lower = text.toLowerCase().replace(/\s+'/g, "'").replace(/\s+n't/g, "n't");
  const suggestion = lower.match(SUGGEST);
  if (suggestion) return `${self} suggests ${body(suggestion[0])}`;
  const request = lower.match(REQUEST);
  if (request && question) return `${self} asks ${other} to ${body(request[0])}`;
  if (question && WH.test(lower)) return `${self} asks ${other} ${lowerFirst(toThirdPerson(indirect(), self, other), tokens[0], [self, other])}`;
  if (question && YESNO.test(lower)) return `${self} asks ${other} whether ${body(tokens[0].value)}`;
  // A statement with a question tacked on ("I'm looking for X, can you help?") reads best as told.
  if (question && /^(?:i|i'm|we)\b/i.test(lower)) return capitalise(toThirdPerson(tokens, self, other)).replace(/[?]$/, '');
  if (question) return `${self} asks ${other} about ${lowerFirst(toThirdPerson(tokens.slice(0, -1), self, other), tokens[0], [self, other])}`;
  const plain = toThirdPerson(tokens, self, other);
  if (/^i\b|^i['’]/i.test(text.trim())) return capitalise(plain).replace(/[.!]$/, '');
  return `${self} says ${lowerFirst(plain, tokens[0], [self, other]).replace(/[.!]$/, '')}`;
}
