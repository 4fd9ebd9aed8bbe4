// Quality and latency of the analysis engine on the dev data (../shared/data by default).
//   npm run eval [-- --data DIR] [--only qmsum,dialogsum,segmentation,support,chats,extraction,latency] [--verbose]
// Every answer comes from one pluggable `Produce` function: by default through the HTTP API
// (scripts/eval-api.ts), with `--via engine` straight from the local engine.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLocalEngine } from '../src/engines/local/engine.js';
import { labelsFromSections, labelsFromSpans, labelsFromStarts, pk, windowDiff } from './segmentation-metrics.js';
import type { Insights, Keypoints, QueryResult } from '../src/engines/schemas.js';
import type { AnalysisEngine, EngineConversation } from '../src/engines/types.js';
import { evalBusinessChats } from './eval-chats.js';
import { f1, macroF1 } from './train/metrics.js';

// ------------------------------------------------------------------ the pluggable part

export type EvalRequest = { kind: 'keypoints' } | { kind: 'query'; query: string } | { kind: 'insights' };
type Answer<R extends EvalRequest> = R extends { kind: 'keypoints' } ? Keypoints : R extends { kind: 'query' } ? QueryResult : Insights;
export type Produce = <R extends EvalRequest>(conversation: EngineConversation, request: R) => Promise<Answer<R>>;

export function engineProducer(engine: AnalysisEngine): Produce {
  return (async (c: EngineConversation, r: EvalRequest) => {
    if (r.kind === 'keypoints') return engine.keypoints(c);
    if (r.kind === 'query') return engine.query(c, r.query);
    return engine.insights(c);
  }) as Produce;
}

// ------------------------------------------------------------------ data

interface MeetingItem {
  id: string;
  kind: 'meeting';
  segments: Array<{ speaker: string; text: string }>;
  references: {
    summary: string;
    queries: Array<{ type: 'general' | 'specific'; query: string; answer: string }>;
    topics?: Array<{ topic: string; relevantSpans: Array<[number, number]> }>;
  };
}
interface ChatItem {
  id: string;
  kind: 'chat';
  messages: Array<{ role: 'user' | 'assistant' | 'system' | 'tool'; content: string; speaker?: string }>;
  references: { summary?: string; summaries?: string[]; topics?: string[]; sentiment?: 'positive' | 'neutral' | 'negative' };
}

export function meetingConversation(m: MeetingItem): EngineConversation {
  return { id: m.id, title: null, kind: 'meeting', startTime: null, segments: m.segments.map((s, i) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: null })) };
}

export function chatConversation(c: ChatItem): EngineConversation {
  return {
    id: c.id,
    title: null,
    kind: 'chat',
    startTime: null,
    segments: c.messages.map((m, i) => ({ index: i, text: m.content, speaker: m.speaker ?? m.role, role: m.role, timestamp: null })),
  };
}

function loadJson<T>(dir: string, name: string): T[] {
  const p = join(dir, name);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T[]) : [];
}

// ------------------------------------------------------------------ scoring

interface RougeScores {
  r1: number;
  r2: number;
  rl: number;
  rlsum: number;
  n: number;
}
interface RougeLib {
  rouge(p: string, r: string): Omit<RougeScores, 'n'>;
  rougeMulti(p: string, refs: string[], mode?: 'mean' | 'max'): Omit<RougeScores, 'n'>;
  meanScores(list: Array<Omit<RougeScores, 'n'>>): RougeScores;
}

async function loadRouge(): Promise<RougeLib> {
  // The repository is always checked out with `shared/` beside it.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return (await import(pathToFileURL(resolve(root, '../shared/eval/rouge.mjs')).href)) as RougeLib;
}


const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, d = 2) => x.toFixed(d).padStart(7);
const rougeRow = (label: string, s: RougeScores, baseline?: string) =>
  `${pad(label, 34)}${num(s.r1)}${num(s.r2)}${num(s.rlsum)}   n=${String(s.n).padEnd(4)}${baseline ? `  (baseline ${baseline})` : ''}`;

// ------------------------------------------------------------------ the evaluation

export interface EvalOptions {
  dataDir: string;
  produce: Produce;
  only?: Set<string>;
  verbose?: boolean;
  log?: (line: string) => void;
}

function synthesiseMeeting(meetings: MeetingItem[], words: number): EngineConversation {
  const segments: EngineConversation['segments'] = [];
  let total = 0;
  for (let round = 0; total < words && meetings.length; round++) {
    for (const m of meetings) {
      for (const s of m.segments) {
        if (total >= words) break;
        segments.push({ index: segments.length, text: s.text, speaker: s.speaker, timestamp: null });
        total += s.text.split(/\s+/).filter(Boolean).length;
      }
    }
  }
  return { id: 'synthetic-20k', title: null, kind: 'meeting', startTime: null, segments };
}

export async function runEval(opts: EvalOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const want = (k: string) => !opts.only || opts.only.has(k);
  const R = await loadRouge();
  const meetings = loadJson<MeetingItem>(opts.dataDir, 'qmsum.dev.json').filter((m) => m.kind === 'meeting');
  const dialogs = loadJson<ChatItem>(opts.dataDir, 'dialogsum.dev.json');
  const support = loadJson<ChatItem>(opts.dataDir, 'support.dev.json');
  const lines: string[] = [];

  if (want('qmsum') && meetings.length) {
    const specific: Array<Omit<RougeScores, 'n'>> = [];
    const general: Array<Omit<RougeScores, 'n'>> = [];
    for (const m of meetings) {
      const conv = meetingConversation(m);
      for (const q of m.references.queries) {
        const res = await opts.produce(conv, { kind: 'query', query: q.query });
        const s = R.rouge(res.response, q.answer);
        (q.type === 'general' ? general : specific).push(s);
        if (opts.verbose) log(`${m.id} [${q.type}] R1 ${s.r1.toFixed(1)} | ${q.query}\n  → ${res.response}\n  ref: ${q.answer}`);
      }
    }
    lines.push(`${pad('metric', 34)}${'R1'.padStart(7)}${'R2'.padStart(7)}${'RLsum'.padStart(7)}`);
    lines.push(rougeRow('QMSum specific queries', R.meanScores(specific), 'BM25 top-3 19.34'));
    lines.push(rougeRow('QMSum general query (summary)', R.meanScores(general), 'lead-250 22.50'));
  }

  if (want('segmentation') && meetings.some((m) => m.references.topics?.length)) {
    // Key-point sections against the annotated topic spans, as an API client sees them (sections
    // located by the segments their points cite); beside them an even split into as many sections.
    const rows: Array<{ pk: number; wd: number; evenPk: number; evenWd: number; summary: Omit<RougeScores, 'n'> }> = [];
    for (const m of meetings) {
      if (!m.references.topics?.length) continue;
      const kp = await opts.produce(meetingConversation(m), { kind: 'keypoints' });
      const n = m.segments.length;
      const ref = labelsFromSpans(n, m.references.topics);
      const hyp = labelsFromSections(n, kp.sections);
      const count = Math.max(1, kp.sections.length);
      const even = labelsFromStarts(n, Array.from({ length: count - 1 }, (_, i) => Math.round(((i + 1) * n) / count)));
      const row = { pk: pk(ref, hyp), wd: windowDiff(ref, hyp), evenPk: pk(ref, even), evenWd: windowDiff(ref, even), summary: R.rouge(kp.summary ?? '', m.references.summary) };
      rows.push(row);
      if (opts.verbose) log(`${m.id} sections ${count} / topics ${m.references.topics.length}: Pk ${row.pk.toFixed(3)} WD ${row.wd.toFixed(3)} (even split ${row.evenPk.toFixed(3)} / ${row.evenWd.toFixed(3)}) summary R1 ${row.summary.r1.toFixed(1)}`);
    }
    const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
    lines.push(rougeRow('QMSum key-points summary', R.meanScores(rows.map((r) => r.summary)), 'lead-250 22.50'));
    lines.push(`${pad('QMSum topic segmentation Pk / WD', 34)}${num(mean((r) => r.pk), 3)}${num(mean((r) => r.wd), 3)}${''.padStart(7)}   n=${String(rows.length).padEnd(4)}  (even split ${mean((r) => r.evenPk).toFixed(3)} / ${mean((r) => r.evenWd).toFixed(3)}; lower is better)`);
  }

  if (want('dialogsum') && dialogs.length) {
    const scores: Array<Omit<RougeScores, 'n'>> = [];
    for (const d of dialogs) {
      const res = await opts.produce(chatConversation(d), { kind: 'insights' });
      const refs = d.references.summaries?.length ? d.references.summaries : [d.references.summary ?? ''];
      const s = R.rougeMulti(res.summary, refs, 'mean');
      scores.push(s);
      if (opts.verbose) log(`${d.id} R1 ${s.r1.toFixed(1)}\n  → ${res.summary}\n  ref: ${refs[0]}`);
    }
    lines.push(rougeRow('DialogSum summary', R.meanScores(scores), 'lead-2 25.37'));
  }

  if (want('support') && support.length) {
    // Topic references exist only for MultiWOZ dialogues and only name its domains, so predictions
    // are scored within that label space (other topics are neither right nor wrong there).
    const labelSpace = new Set(support.flatMap((s) => s.references.topics ?? []));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let topicItems = 0;
    const sentiments: Array<[string, string]> = [];
    for (const s of support) {
      const res = await opts.produce(chatConversation(s), { kind: 'insights' });
      if (s.references.sentiment) sentiments.push([s.references.sentiment, res.sentiment]);
      const gold = s.references.topics;
      if (gold) {
        topicItems++;
        const pred = [...new Set(res.topics.map((x) => x.toLowerCase()))].filter((x) => labelSpace.has(x));
        for (const p of pred) gold.includes(p) ? tp++ : fp++;
        for (const g of gold) if (!pred.includes(g)) fn++;
      }
      if (opts.verbose) log(`${s.id} sentiment ${s.references.sentiment}/${res.sentiment} (${res.sentimentScore}) topics ${JSON.stringify(gold)}/${JSON.stringify(res.topics)} task ${res.taskCompleted}`);
    }
    if (topicItems) lines.push(`${pad('Support topic micro-F1', 34)}${num(f1(tp, fp, fn) * 100)}${''.padStart(14)}   n=${String(topicItems).padEnd(4)}  (baseline keywords 86.1)`);
    if (sentiments.length) lines.push(`${pad('Support sentiment macro-F1', 34)}${num(macroF1(sentiments) * 100)}${''.padStart(14)}   n=${String(sentiments.length).padEnd(4)}  (always-neutral ~45)`);
  }

  if (want('extraction')) {
    const { evalExtraction } = await import('./eval-extraction.js');
    lines.push(...(await evalExtraction({ ...opts, log, meetingConversation })));
  }
  if (want('chats')) lines.push(...(await evalBusinessChats(opts.dataDir, opts.produce, (l) => opts.verbose && log(l))));

  if (want('latency') && meetings.length) {
    lines.push('', `${pad('key-point latency', 34)}${'words'.padStart(7)}${'ms'.padStart(9)}`);
    // One warm-up so the figures show steady-state cost, not model loading.
    await opts.produce(meetingConversation(meetings[0]), { kind: 'keypoints' });
    const timed = async (id: string, conv: EngineConversation) => {
      const words = conv.segments.reduce((a, s) => a + s.text.split(/\s+/).filter(Boolean).length, 0);
      const t0 = performance.now();
      await opts.produce(conv, { kind: 'keypoints' });
      const ms = performance.now() - t0;
      lines.push(`${pad(`  ${id}`, 34)}${String(words).padStart(7)}${ms.toFixed(0).padStart(9)}`);
    };
    for (const m of meetings) await timed(m.id, meetingConversation(m));
    await timed('synthetic 20,000-word meeting', synthesiseMeeting(meetings, 20000));
  }

  for (const l of lines) log(l);
}

// ------------------------------------------------------------------ CLI

function parseArgs(argv: string[]): { dataDir: string; only?: Set<string>; verbose: boolean; via: 'api' | 'engine' } {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let dataDir = resolve(root, '../shared/data');
  let only: Set<string> | undefined;
  let verbose = false;
  let via: 'api' | 'engine' = 'api';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data') dataDir = resolve(argv[++i]);
    else if (argv[i] === '--only') only = new Set(argv[++i].split(','));
    else if (argv[i] === '--verbose') verbose = true;
    else if (argv[i] === '--via') via = argv[++i] === 'engine' ? 'engine' : 'api';
  }
  return { dataDir, only, verbose, via };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // By default every answer goes through the HTTP API, the path users take; `--via engine` calls the
  // local engine directly (quicker when iterating on the engine itself).
  const args = parseArgs(process.argv.slice(2));
  if (args.via === 'engine') {
    const engine = createLocalEngine();
    await runEval({ ...args, produce: engineProducer(engine) });
    await engine.close?.();
  } else {
    const { apiProducer } = await import('./eval-api.js');
    const api = await apiProducer();
    console.log('answers via the HTTP API (in-process server, in-memory database, configured engine)');
    await runEval({ ...args, produce: api.produce });
    await api.close();
  }
}
