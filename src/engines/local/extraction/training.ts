// Training the extraction models from labelled conversations: sentence examples, folds by meeting
// series, out-of-fold scores for choosing thresholds and calibrating confidence. Pure functions
// over data handed in, so `npm run train` and the tests share them.
import type { EngineConversation } from '../../types.js';
import { prepareTranscript, type Sentence, type Transcript } from '../transcript.js';
import { buildDecisions } from './decisions.js';
import { conversationContext, decisionFeatures, HASH_BITS, sentenceFeatures } from './features.js';
import { buildActionItems, buildDrafts, itemsFromDrafts } from './items.js';
import { ownerCandidates, OWNER_BITS, pickOwner, type OwnerCandidate } from './owner-model.js';
import { ownerNames } from '../keypoints.js';
import { mentionedPeople } from '../participants.js';
import { DEFAULT_SETTINGS, fitPlatt, rawScore, sigmoid, trainLogistic, type Example, type LinearModel, type TrainSettings } from './linear.js';
import { calibrate, scored } from './model.js';
import type { Names } from './owner.js';
import { overlap } from './wording.js';

export interface GoldItem {
  text: string;
  segments: number[];
  owner?: string | null;
  due?: string | null;
  confidence?: string;
}

export interface Labelled {
  id: string;
  /** Conversations of one group (a meeting series) always fall in the same fold. */
  group: string;
  domain: string;
  conv: EngineConversation;
  actions: GoldItem[];
  decisions: GoldItem[];
}

export interface Prepared extends Labelled {
  t: Transcript;
  x: number[][];
  /** The decision model's features of each sentence (x and the room's response to it). */
  xd: number[][];
  yAction: Array<[0 | 1, number]>;
  yDecision: Array<[0 | 1, number]>;
}

/** Item scorer (the project's evaluation scorer is passed in by callers). */
export type ScoreItems = (
  preds: Array<{ text: string; evidence: number[]; owner?: string | null }>,
  golds: GoldItem[],
) => { tp: number; predicted: number; required: number; pairs: Array<{ pred: unknown; gold: GoldItem }> };

export const MIN_WORDS = 3;

/** A sentence is a positive example when its turn is labelled and it says part of the item. */
function label(t: Transcript, s: Sentence, gold: GoldItem[], anyTurn: boolean): [0 | 1, number] {
  const substantive = t.segSentences[s.seg].filter((id) => t.sentences[id].words >= MIN_WORDS);
  for (const g of gold) {
    if (!g.segments.includes(t.segments[s.seg].index)) continue;
    // Decisions are labelled with the turns agreeing to them ("I like that"), which say nothing
    // of the decision: only sentences sharing its words are examples of one.
    if (overlap(s.raw, g.text) > 0 || (anyTurn && substantive.length === 1)) return [1, g.confidence === 'low' ? 0.5 : 1];
  }
  return [0, 1];
}

export function prepare(items: Labelled[]): Prepared[] {
  return items.map((it) => {
    const t = prepareTranscript(it.conv);
    const ctx = conversationContext(t);
    const x = t.sentences.map((s) => sentenceFeatures(ctx, s));
    const xd = t.sentences.map((s, i) => decisionFeatures(ctx, s, x[i]));
    return { ...it, t, x, xd, yAction: t.sentences.map((s) => label(t, s, it.actions, true)), yDecision: t.sentences.map((s) => label(t, s, it.decisions, false)) };
  });
}

function examples(data: Prepared[], which: 'yAction' | 'yDecision'): Example[] {
  const out: Example[] = [];
  for (const d of data) d.t.sentences.forEach((s, i) => s.words >= MIN_WORDS && out.push({ x: which === 'yAction' ? d.x[i] : d.xd[i], y: d[which][i][0], w: d[which][i][1] }));
  return out;
}

export function trainOne(data: Prepared[], which: 'yAction' | 'yDecision', settings: TrainSettings = DEFAULT_SETTINGS): Float32Array {
  return trainLogistic(examples(data, which), 1 << HASH_BITS, settings);
}

/** Folds by group, dealt round-robin within each domain so every fold has each kind. */
export function folds(data: Prepared[], k: number): number[] {
  const fold = new Map<string, number>();
  const domains = [...new Set(data.map((d) => d.domain))].sort();
  for (const dom of domains) {
    const groups = [...new Set(data.filter((d) => d.domain === dom).map((d) => d.group))].sort();
    groups.forEach((g, i) => fold.set(`${dom}/${g}`, i % k));
  }
  return data.map((d) => fold.get(`${d.domain}/${d.group}`)!);
}

export interface Prf {
  tp: number;
  predicted: number;
  required: number;
}

/** The names owners may take, as at run time: named speakers and people mentioned. */
const names = (d: Prepared): Names => ({ people: ownerNames(d.t, mentionedPeople(d.t)) });

/** Items built from given raw scores at a threshold, scored against gold. */
export function itemsAt(d: Prepared, raw: { action: number[]; decision: number[] }, model: { action: LinearModel; decision: LinearModel; owner?: Float32Array }, score: ScoreItems) {
  const actionItems = buildActionItems(d.t, scored(d.t, raw.action), model.action.threshold, names(d), 20, model.owner);
  const decisions = buildDecisions(d.t, scored(d.t, raw.decision), model.decision.threshold);
  const actionPreds = actionItems.map((x) => ({ text: x.item, evidence: x.evidence.map((e) => e.segmentIndex), owner: x.owner }));
  const a = score(actionPreds, d.actions);
  const dec = score(decisions.map((x) => ({ text: x.text, evidence: x.evidence.map((e) => e.segmentIndex) })), d.decisions);
  const matched = new Set(a.pairs.map((p) => p.pred));
  // Per item: its uncalibrated score, calibrated confidence and whether it matched a gold item.
  const preds = actionItems.map((x, i) => ({ p: x.confidence, conf: calibrate(model.action, x.confidence), hit: matched.has(actionPreds[i]) }));
  return { actionItems, decisions, a, dec, preds };
}

export function rawScores(d: Prepared, w: { action: Float32Array; decision: Float32Array }) {
  return { action: d.x.map((x) => rawScore(w.action, x)), decision: d.xd.map((x) => rawScore(w.decision, x)) };
}

export function addPrf(into: Prf, m: Prf): void {
  into.tp += m.tp;
  into.predicted += m.predicted;
  into.required += m.required;
}

export function f1(m: Prf): { p: number; r: number; f: number } {
  const p = m.predicted ? m.tp / m.predicted : 0;
  const r = m.required ? m.tp / m.required : 0;
  return { p: 100 * p, r: 100 * r, f: p + r ? (200 * p * r) / (p + r) : 0 };
}

const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

/** The threshold with the best mean F1 across domains, on out-of-fold scores. */
export function chooseThreshold(data: Prepared[], oof: Array<{ action: number[]; decision: number[] }>, which: 'action' | 'decision', score: ScoreItems): number {
  let best = { th: 0.5, f: -1 };
  const domains = [...new Set(data.map((d) => d.domain))];
  for (const th of THRESHOLDS) {
    const per = new Map<string, Prf>(domains.map((dom) => [dom, { tp: 0, predicted: 0, required: 0 }]));
    data.forEach((d, i) => {
      const probe = { action: { weights: new Float32Array(0), platt: [1, 0] as [number, number], threshold: th }, decision: { weights: new Float32Array(0), platt: [1, 0] as [number, number], threshold: th } };
      const r = itemsAt(d, oof[i], probe, score);
      addPrf(per.get(d.domain)!, which === 'action' ? r.a : r.dec);
    });
    const f = [...per.values()].reduce((s, m) => s + f1(m).f, 0) / domains.length;
    if (f > best.f) best = { th, f };
  }
  return best.th;
}

/** Platt scaling on item level: the item's score against whether it matched a gold item. */
export function fitItemCalibration(pairs: Array<{ p: number; hit: boolean }>): [number, number] {
  return fitPlatt(pairs.map(({ p, hit }) => [Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p)), hit ? 1 : 0]));
}

/** One task matched to a labelled one: its owner candidates, the labelled owner and the rule's. */
export interface OwnerExample {
  cands: OwnerCandidate[];
  gold: string;
  rule: string | null;
}

/**
 * Owner examples from the tasks built at `threshold` that match a labelled task with an owner:
 * the same candidates and features as at run time, so the model learns on what it will see.
 */
export function ownerExamples(d: Prepared, raw: number[], threshold: number, score: ScoreItems): OwnerExample[] {
  const n = names(d);
  const drafts = buildDrafts(d.t, scored(d.t, raw), threshold, n);
  const preds = itemsFromDrafts(d.t, drafts, n).map((x) => ({ text: x.item, evidence: x.evidence.map((e) => e.segmentIndex), owner: x.owner }));
  const out: OwnerExample[] = [];
  for (const pair of score(preds, d.actions).pairs) {
    const i = preds.indexOf(pair.pred as (typeof preds)[number]);
    if (i < 0 || !pair.gold.owner) continue;
    out.push({ cands: ownerCandidates(d.t, drafts[i].sentences, n, preds[i].text), gold: pair.gold.owner, rule: drafts[i].owner });
  }
  return out;
}

/**
 * Owner examples from every labelled task with an owner, built from its labelled sentences and
 * worded as labelled: four times as many as the matched tasks, and the same kind of candidates.
 */
export function goldOwnerExamples(d: Prepared): OwnerExample[] {
  const n = names(d);
  const out: OwnerExample[] = [];
  for (const g of d.actions) {
    if (!g.owner) continue;
    const sentences = d.t.sentences.filter((s) => d.yAction[s.id][0] === 1 && g.segments.includes(d.t.segments[s.seg].index) && overlap(s.raw, g.text) > 0);
    if (!sentences.length) continue;
    const cands = ownerCandidates(d.t, sentences, n, g.text);
    if (cands.length) out.push({ cands, gold: g.owner, rule: null });
  }
  return out;
}

export const OWNER_SETTINGS: TrainSettings = { epochs: 30, learningRate: 0.1, l2: 1e-3, positiveWeight: 1, seed: 7 };

export function trainOwner(examples: OwnerExample[], same: (a: unknown, b: unknown) => boolean, settings = OWNER_SETTINGS): Float32Array {
  const flat: Example[] = examples.flatMap((e) => e.cands.map((c) => ({ x: c.x, y: (same(c.owner, e.gold) ? 1 : 0) as 0 | 1, w: 1 })));
  return trainLogistic(flat, 1 << OWNER_BITS, settings);
}

/** Share of examples whose chosen owner is the labelled one: the model's and the rule's. */
export function ownerAccuracy(examples: OwnerExample[], w: Float32Array, same: (a: unknown, b: unknown) => boolean): { model: number; rule: number; n: number } {
  let model = 0;
  let rule = 0;
  for (const e of examples) {
    if (same(pickOwner(w, e.cands) ?? e.rule, e.gold)) model++;
    if (same(e.rule, e.gold)) rule++;
  }
  return { model, rule, n: examples.length };
}

export { sigmoid };
