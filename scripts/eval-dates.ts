// Due-date accuracy and important-dates F1 of the local date resolver on the labelled business
// conversations (default ../shared/data/business.dev.json, or the file given as first argument).
// Due date: for each gold action item, the first date the resolver finds in the sentences where the
// item is said (its first gold segment and the gold segments within 3 of it; far-off recaps are
// left out), those sharing most words with the task first, compared with the gold `due` (a date or
// null). Important dates: the dates listed for
// the whole conversation against the gold dates, matched on the date.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dueDateOf, extractImportantDates } from '../src/engines/local/dates.js';
import { prepareTranscript } from '../src/engines/local/transcript.js';
import type { EngineConversation } from '../src/engines/types.js';

interface Item {
  id: string;
  kind: 'meeting' | 'chat';
  startTime: string | null;
  timeZone?: string | null;
  segments?: Array<{ speaker: string; text: string; timestamp?: string | null }>;
  messages?: Array<{ role: 'user' | 'assistant' | 'system' | 'tool'; content: string; speaker?: string; timestamp?: string | null }>;
  gold: { actionItems: Array<{ task: string; due: string | null; segments: number[] }>; importantDates: Array<{ date: string }> };
}

export function conversationOf(item: Item): EngineConversation {
  const segments = item.segments
    ? item.segments.map((s, i) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: s.timestamp ?? null }))
    : (item.messages ?? []).map((m, i) => ({ index: i, text: m.content, speaker: m.speaker ?? m.role, role: m.role, timestamp: m.timestamp ?? null }));
  return { id: item.id, title: null, kind: item.kind, startTime: item.startTime, timeZone: item.timeZone ?? null, segments };
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? resolve(here, '../../shared/data/business.dev.json'));
const items = JSON.parse(readFileSync(file, 'utf8')) as Item[];
const verbose = process.argv.includes('--verbose');

let dueRight = 0;
let dueTotal = 0;
let tp = 0;
let predicted = 0;
let gold = 0;
for (const item of items) {
  const t = prepareTranscript(conversationOf(item));
  for (const g of item.gold.actionItems) {
    const first = Math.min(...g.segments);
    const near = [...new Set(g.segments.filter((s) => s - first <= 3))].sort((a, b) => a - b);
    // The sentence that says the task is the one an extractor would take the date from: the
    // sentences sharing most words with the gold task come first, in order.
    const taskWords = words(g.task);
    const sentences = near
      .flatMap((seg) => t.segSentences[seg] ?? [])
      .map((id) => ({ id, overlap: [...words(t.sentences[id].raw)].filter((w) => taskWords.has(w)).length }))
      .sort((a, b) => b.overlap - a.overlap || a.id - b.id);
    let due: string | null = null;
    for (const { id } of sentences) due ??= dueDateOf(t, t.sentences[id]);
    dueTotal++;
    if (due === g.due) dueRight++;
    else if (verbose) console.log(`  due ${item.id} [${near}] gold ${g.due} got ${due}`);
  }
  const dates = new Set(extractImportantDates(t).map((d) => d.date));
  const want = new Set(item.gold.importantDates.map((d) => d.date));
  const hit = [...dates].filter((d) => want.has(d)).length;
  if (verbose) console.log(`  dates ${item.id} missing [${[...want].filter((d) => !dates.has(d))}] extra [${[...dates].filter((d) => !want.has(d))}]`);
  tp += hit;
  predicted += dates.size;
  gold += want.size;
}
const p = predicted ? tp / predicted : 0;
const r = gold ? tp / gold : 0;
const f1 = p + r ? (2 * p * r) / (p + r) : 0;
console.log(`due date right: ${dueRight}/${dueTotal} = ${((100 * dueRight) / dueTotal).toFixed(1)} %`);
console.log(`important dates: P ${(100 * p).toFixed(1)} R ${(100 * r).toFixed(1)} F1 ${(100 * f1).toFixed(1)} (${tp} of ${gold} gold, ${predicted} listed)`);
