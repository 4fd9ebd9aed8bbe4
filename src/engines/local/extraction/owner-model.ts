// Who a task belongs to, learned: every person the task's sentences point at is a candidate, each
// described by how it relates to those sentences (see ownerSignals); a logistic regression trained
// on labelled owners scores them and the best one wins.
import { casing, type Sentence, type Transcript } from '../transcript.js';
import { hashFeature } from './features.js';
import { rawScore } from './linear.js';
import { ownerSignals, type Names } from './owner.js';

export const OWNER_BITS = 14;
const MASK = (1 << OWNER_BITS) - 1;

export interface OwnerCandidate {
  owner: string;
  x: number[];
}

export function ownerCandidates(t: Transcript, sentences: Sentence[], names: Names, item = ''): OwnerCandidate[] {
  const feats = new Map<string, Map<string, number>>();
  [...sentences]
    .sort((a, b) => a.id - b.id)
    .forEach((s, j) => {
      for (const [who, rels] of ownerSignals(t, s, names)) {
        const f = feats.get(who) ?? new Map<string, number>();
        for (const r of rels) {
          f.set(r, (f.get(r) ?? 0) + 1);
          // The first statement of a task usually says who takes it; recaps repeat it.
          if (j === 0) f.set(`first:${r}`, 1);
        }
        feats.set(who, f);
      }
    });
  // Who talks about what the task is about: people are mostly given tasks on their own subject.
  const rank = (prefix: string, aff: Map<string, number>) => {
    const ranked = [...aff].filter(([, z]) => Number.isFinite(z)).sort((a, b) => b[1] - a[1]);
    ranked.forEach(([who, z], i) => {
      const f = feats.get(who)!;
      if (i < 2) f.set(`${prefix}${i + 1}`, 1);
      if (i === 0 && ranked.length > 1 && z - ranked[1][1] > 2) f.set(`${prefix}Clear`, 1);
    });
  };
  rank('aff', affinity(t, sentences, [...feats.keys()], [...new Set(sentences.flatMap((s) => s.stems))]));
  // The task itself, as worded: a sentence that hands out several tasks ("you work on the interface,
  // you do trend watching") says whose each one is only through what each one is about.
  const itemWords = new Set(item.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const focus = [...new Set(sentences.flatMap((s) => s.tokens.filter((k) => k.content && itemWords.has(k.norm)).map((k) => k.stem)))];
  if (focus.length) {
    const { lower } = casing(t);
    rank('itemAff', affinity(t, sentences, [...feats.keys()], focus));
    for (const [who, f] of feats) {
      if (who === 'all') continue;
      const label = who.toLowerCase().split(/\s+/).filter((w) => w.length >= 3);
      // The candidate's label named in the task: a role's own subject ("the user interface"), or a
      // person the task is for ("Tell Greg"); which, the weights learn.
      if (label.some((w) => itemWords.has(w))) f.set(t.speakers.includes(who) ? 'labelInItem' : 'mentionedInItem', 1);
      // What kinds of task go to whom, where the label is made of ordinary words (a role or a team,
      // "Marketing", "User Interface") that recur across meetings; a person's name never does.
      for (const w of label) if (lower.has(w)) for (const st of focus) f.set(`lex:${st}|${w}`, 1);
    }
  }
  // A name or role label said in the turns just before or after (not in the task's own sentence).
  const near = nearbyText(t, sentences);
  for (const [who, f] of feats) {
    if (who === 'all') continue;
    const words = who.toLowerCase().split(/\s+/).filter((w) => w.length >= 4);
    if (words.some((w) => near.includes(w))) f.set('nearbyName', 1);
  }
  return [...feats].map(([owner, f]) => {
    const features = [...f].flatMap(([r, n]) => (n > 1 ? [r, `${r}×2`] : [r]));
    features.push('bias', owner === 'all' ? 'isAll' : t.speakers.includes(owner) ? 'isSpeaker' : 'isMentioned');
    return { owner, x: [...new Set(features.map((n) => hashFeature('o:', n) & MASK))] };
  });
}

/** The task names this person as its object or recipient ("Ping Ana", "Reach out to Lorraine"). */
function objectOf(item: string, owner: string): boolean {
  const first = owner.split(/\s+/)[0];
  if (owner === 'all' || first.length < 2) return false;
  const name = first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b(?:to|with|from|for|ping|tell|ask|call|email|remind|message|text|contact|invite|update|thank|meet|send|give|show|brief|chase|pay)\\s+${name}\\b(?!['’]s)`, 'i').test(item);
}

/**
 * The best scored candidate, or null when the sentences point at no one. A person the task is
 * addressed to ("Ping Ana today", "Reach out to Lorraine") does not own it while anyone else could.
 */
export function pickOwner(weights: Float32Array, candidates: OwnerCandidate[], item = ''): string | null {
  const eligible = item ? candidates.filter((c) => !objectOf(item, c.owner)) : candidates;
  let best: { owner: string; z: number } | null = null;
  for (const c of eligible.length ? eligible : candidates) {
    const z = rawScore(weights, c.x);
    if (!best || z > best.z) best = { owner: c.owner, z };
  }
  return best?.owner ?? null;
}

const speakerStems = new WeakMap<Transcript, { by: Map<string, Map<string, number>>; all: Map<string, number>; total: Map<string, number>; n: number }>();

function stemCounts(t: Transcript) {
  let c = speakerStems.get(t);
  if (c) return c;
  c = { by: new Map(), all: new Map(), total: new Map(), n: 0 };
  for (const s of t.sentences) {
    const m = c.by.get(s.speaker) ?? new Map<string, number>();
    c.by.set(s.speaker, m);
    for (const w of s.stems) {
      m.set(w, (m.get(w) ?? 0) + 1);
      c.all.set(w, (c.all.get(w) ?? 0) + 1);
      c.total.set(s.speaker, (c.total.get(s.speaker) ?? 0) + 1);
      c.n++;
    }
  }
  speakerStems.set(t, c);
  return c;
}

/**
 * How much more likely each speaking candidate is than the room as a whole to use the task's words,
 * leaving out the task's own sentences (its speaker would otherwise always win): a log-ratio of
 * smoothed unigram models. Candidates who never speak get -Infinity.
 */
function affinity(t: Transcript, sentences: Sentence[], candidates: string[], task: string[]): Map<string, number> {
  const c = stemCounts(t);
  const own = new Map<string, Map<string, number>>();
  for (const s of sentences) {
    const m = own.get(s.speaker) ?? new Map<string, number>();
    own.set(s.speaker, m);
    for (const w of s.stems) m.set(w, (m.get(w) ?? 0) + 1);
  }
  const alpha = 0.5;
  const vocab = c.all.size + 1;
  const out = new Map<string, number>();
  for (const who of candidates) {
    const mine = c.by.get(who);
    if (!mine || !task.length) {
      out.set(who, -Infinity);
      continue;
    }
    const ownMine = own.get(who);
    const total = (c.total.get(who) ?? 0) - [...(ownMine?.values() ?? [])].reduce((a, b) => a + b, 0);
    let z = 0;
    for (const w of task) {
      const n = (mine.get(w) ?? 0) - (ownMine?.get(w) ?? 0);
      const room = c.all.get(w) ?? 0;
      z += Math.log((n + alpha) / (total + alpha * vocab)) - Math.log((room + alpha) / (c.n + alpha * vocab));
    }
    out.set(who, z);
  }
  return out;
}

/** Lower-cased text of the two turns before and after the task's sentences, without them. */
function nearbyText(t: Transcript, sentences: Sentence[]): string {
  const segs = new Set(sentences.map((s) => s.seg));
  const parts: string[] = [];
  for (const seg of segs) {
    for (let i = Math.max(0, seg - 2); i <= Math.min(t.segments.length - 1, seg + 2); i++) if (!segs.has(i)) parts.push(t.segments[i].text);
  }
  return parts.join(' ').toLowerCase();
}
