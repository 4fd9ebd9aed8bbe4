// Action items, decisions and important dates scored against labelled meetings: the AMI meetings of
// qmsum.dev.json with actions.dev.json, and the business conversations of business.dev.json, all
// through the same `Produce` path as the rest of the evaluation (the HTTP API by default).
//   owner right: matched action items whose owner equals the gold owner ("all"/"team" are one);
//   due right: matched action items whose dueDate equals the gold ISO date (null = null counts);
//   important dates: one-to-one by calendar date.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Keypoints } from '../src/engines/schemas.js';
import type { EngineConversation } from '../src/engines/types.js';
import type { Produce } from './eval.js';

interface Gold {
  text: string;
  segments: number[];
  owner?: string | null;
  due?: string | null;
  confidence?: string;
}
interface Pred {
  text: string;
  evidence: number[];
  owner?: string | null;
  due?: string | null;
}
interface Scorer {
  scoreItems(p: Pred[], g: Gold[]): { tp: number; predicted: number; required: number; pairs: Array<{ pred: Pred; gold: Gold }> };
  prf(m: { tp: number; predicted: number; required: number }): { precision: number; recall: number; f1: number };
  sameOwner(a: unknown, b: unknown): boolean;
}

interface BusinessItem {
  id: string;
  kind: 'meeting' | 'chat';
  title: string;
  startTime: string;
  timeZone?: string;
  segments?: Array<{ speaker: string; text: string; timestamp?: string }>;
  messages?: Array<{ role: 'user' | 'assistant'; content: string; timestamp?: string }>;
  gold: {
    decisions: string[];
    decisionSegments: number[][];
    optionalDecisions?: string[];
    actionItems: Array<{ task: string; owner: string | null; due: string | null; segments: number[] }>;
    importantDates: Array<{ date: string; context: string }>;
  };
}
interface LabelItem {
  id: string;
  actionItems: Array<{ task: string; owner: string | null; due?: string | null; segments: number[]; confidence?: string }>;
  decisions: Array<{ text: string; segments: number[]; confidence?: string }>;
}
interface MeetingItem {
  id: string;
  kind: string;
  segments: Array<{ speaker: string; text: string }>;
}

export function businessConversation(b: BusinessItem): EngineConversation {
  const segments = b.segments
    ? b.segments.map((s, i) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: s.timestamp ?? null }))
    : (b.messages ?? []).map((m, i) => ({ index: i, text: m.content, speaker: m.role, role: m.role, timestamp: m.timestamp ?? null }));
  return { id: b.id, title: b.title, kind: b.kind, startTime: b.startTime, timeZone: b.timeZone ?? null, segments };
}

class Tally {
  actions = { tp: 0, predicted: 0, required: 0 };
  decisions = { tp: 0, predicted: 0, required: 0 };
  dates = { tp: 0, predicted: 0, required: 0 };
  owner = [0, 0];
  due = [0, 0];
  add(into: { tp: number; predicted: number; required: number }, m: { tp: number; predicted: number; required: number }) {
    into.tp += m.tp;
    into.predicted += m.predicted;
    into.required += m.required;
  }
}

const toPreds = (k: Keypoints) => ({
  actions: k.actionItems.map((a) => ({ text: a.item, evidence: a.evidence.map((e) => e.segmentIndex), owner: a.owner, due: a.dueDate ?? null })),
  decisions: k.decisionDetails.map((d) => ({ text: d.text, evidence: d.evidence.map((e) => e.segmentIndex) })),
});

function scoreOne(S: Scorer, t: Tally, k: Keypoints, actions: Gold[], decisions: Gold[], verbose: ((l: string) => void) | null): void {
  const p = toPreds(k);
  const a = S.scoreItems(p.actions, actions);
  t.add(t.actions, a);
  for (const { pred, gold } of a.pairs) {
    t.owner[0] += S.sameOwner(pred.owner, gold.owner) ? 1 : 0;
    t.owner[1]++;
    if (gold.due !== undefined) {
      t.due[0] += (pred.due ?? null) === (gold.due ?? null) ? 1 : 0;
      t.due[1]++;
    }
  }
  t.add(t.decisions, S.scoreItems(p.decisions, decisions));
  if (verbose) {
    for (const x of p.actions) {
      const pair = a.pairs.find((q) => q.pred === x);
      const gold = pair ? `  (gold: ${pair.gold.owner ?? '-'} | ${pair.gold.due ?? '-'})` : '';
      verbose(`  action  ${pair ? '✓' : '✗'} [${x.evidence.join(',')}] ${x.owner ?? '-'} | ${x.due ?? '-'} | ${x.text}${gold}`);
    }
    for (const g of actions) if (!a.pairs.some((q) => q.gold === g)) verbose(`  missed  [${g.segments.join(',')}] ${g.owner ?? '-'} | ${g.due ?? '-'} | ${g.text}${g.confidence === 'low' ? ' (low)' : ''}`);
    for (const x of p.decisions) verbose(`  decision [${x.evidence.join(',')}] ${x.text}`);
  }
}

function scoreDates(t: Tally, k: Keypoints, gold: string[]): void {
  const left = [...gold];
  const predicted = [...new Set(k.importantDates.map((d) => d.date))];
  let tp = 0;
  for (const d of predicted) {
    const i = left.indexOf(d);
    if (i >= 0) {
      tp++;
      left.splice(i, 1);
    }
  }
  t.add(t.dates, { tp, predicted: predicted.length, required: gold.length });
}

function rows(S: Scorer, label: string, t: Tally, withDates: boolean): string[] {
  const f = (m: { tp: number; predicted: number; required: number }) => {
    const r = S.prf(m);
    return `${r.f1.toFixed(1).padStart(6)} (P ${r.precision.toFixed(1)}, R ${r.recall.toFixed(1)})`;
  };
  const pct = ([a, n]: number[]) => (n ? `${((100 * a) / n).toFixed(0)} %` : '–');
  const out = [
    `${label.padEnd(34)}actions F1 ${f(t.actions)}  owner ${pct(t.owner)}  due ${pct(t.due)}`,
    `${''.padEnd(34)}decisions F1 ${f(t.decisions)}`,
  ];
  if (withDates) out.push(`${''.padEnd(34)}important dates F1 ${f(t.dates)}`);
  return out;
}

async function loadScorer(): Promise<Scorer> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return (await import(pathToFileURL(resolve(root, '../shared/eval/actions.mjs')).href)) as Scorer;
}

const load = <T>(dir: string, name: string): T[] => (existsSync(join(dir, name)) ? (JSON.parse(readFileSync(join(dir, name), 'utf8')) as T[]) : []);

/** Prints the extraction table; `toConversation` turns a QMSum meeting into an engine conversation. */
export async function evalExtraction(opts: { dataDir: string; produce: Produce; verbose?: boolean; log: (l: string) => void; meetingConversation: (m: any) => EngineConversation }): Promise<string[]> {
  const S = await loadScorer();
  const lines: string[] = ['', `${'extraction'.padEnd(34)}(before the learned model, same path: AMI actions 34.8 / owner 50 % / decisions 8.3; business actions 61.1 / owner 77 % / due 40 % / decisions 8.5 / dates 73.1)`];
  const say = opts.verbose ? opts.log : null;
  const labels = new Map(load<LabelItem>(opts.dataDir, 'actions.dev.json').map((l) => [l.id, l]));
  const ami = new Tally();
  for (const m of load<MeetingItem>(opts.dataDir, 'qmsum.dev.json')) {
    const l = labels.get(m.id);
    if (!l) continue;
    const k = (await opts.produce(opts.meetingConversation(m), { kind: 'keypoints' })) as Keypoints;
    say?.(m.id);
    scoreOne(S, ami, k, l.actionItems.map((a) => ({ text: a.task, segments: a.segments, owner: a.owner, confidence: a.confidence })), l.decisions, say);
  }
  if (ami.actions.required) lines.push(...rows(S, 'AMI dev (actions.dev.json)', ami, false));
  const biz = new Tally();
  const business = load<BusinessItem>(opts.dataDir, 'business.dev.json');
  for (const b of business) {
    const k = (await opts.produce(businessConversation(b), { kind: 'keypoints' })) as Keypoints;
    say?.(b.id);
    const g = b.gold;
    const decisions: Gold[] = [
      ...g.decisions.map((text, i) => ({ text, segments: g.decisionSegments[i] ?? [] })),
      ...(g.optionalDecisions ?? []).map((text) => ({ text, segments: [] as number[], confidence: 'low' })),
    ];
    scoreOne(S, biz, k, g.actionItems.map((a) => ({ text: a.task, segments: a.segments, owner: a.owner, due: a.due })), decisions, say);
    scoreDates(biz, k, g.importantDates.map((d) => d.date));
  }
  if (business.length) lines.push(...rows(S, 'business.dev.json', biz, true));
  return lines;
}
