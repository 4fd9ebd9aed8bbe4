// Reading the USS dialogue files and the dev data into one shape for training and scoring.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatTurn } from '../../src/engines/local/chat-features.js';

export interface LabelledChat {
  /** The dialogue's text, one turn a line: how dev dialogues are recognised in the training files. */
  key: string;
  turns: ChatTurn[];
  sentiment?: string;
  /** USS: the raters' mean OVERALL rating of the dialogue (1–5). */
  rating?: number;
  topics?: string[];
  /** USS: the raters' mean rating of each user turn, in order (NaN where a turn has none). */
  turnRatings?: number[];
}

const meanOf = (ratings: number[]) => (ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : NaN);

/** The mapping of the dev data's README: mean OVERALL rating < 2.5 negative, > 3.5 positive. */
export function sentimentOf(ratings: number[]): string {
  const mean = meanOf(ratings);
  return mean < 2.5 ? 'negative' : mean > 3.5 ? 'positive' : 'neutral';
}

const ratingsOf = (field: string | undefined) => (field ?? '').split(',').map(Number).filter((x) => Number.isFinite(x) && x > 0);

const keyOf = (turns: ChatTurn[]) => turns.map((t) => t.text.trim()).join('\n');

/**
 * USS files: one turn a line, `ROLE \t text \t act \t ratings`, dialogues separated by blank lines,
 * each ending with a `USER \t OVERALL` line holding the dialogue ratings. MultiWOZ acts look like
 * `Hotel-Inform` (comma-separated when several); their domains are the dialogue's topics.
 */
export function parseUss(text: string, withDomains: boolean): LabelledChat[] {
  const out: LabelledChat[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const rows = block.split(/\r?\n/).filter((l) => l.trim()).map((l) => l.split('\t'));
    const overall = rows.find((r) => r[1] === 'OVERALL');
    if (!overall) continue;
    const rated = rows.filter((r) => r !== overall);
    const turns = rated.map((r) => ({ role: r[0] === 'USER' ? 'user' : 'assistant', text: r[1] ?? '' }));
    const ratings = ratingsOf(overall[3]);
    if (!turns.length || !ratings.length) continue;
    const turnRatings = rated.filter((r) => r[0] === 'USER').map((r) => meanOf(ratingsOf(r[3])));
    const chat: LabelledChat = { key: keyOf(turns), turns, sentiment: sentimentOf(ratings), rating: meanOf(ratings), turnRatings };
    if (withDomains) {
      const acts = rows.flatMap((r) => (r[2] ?? '').split(',')).map((a) => a.split('-')[0].trim().toLowerCase());
      chat.topics = [...new Set(acts.filter((d) => d && d !== 'general' && d !== 'booking'))].sort();
    }
    out.push(chat);
  }
  return out;
}

export function loadUss(dir: string): LabelledChat[] {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  return [...parseUss(read('MWOZ.txt'), true), ...parseUss(read('SGD.txt'), false)];
}

interface DevItem {
  kind?: string;
  messages?: Array<{ role: string; content: string }>;
  references?: { sentiment?: string; topics?: string[] };
  gold?: { sentiment?: string };
}

export function loadDevChats(dir: string): { support: LabelledChat[]; business: LabelledChat[] } {
  const load = (name: string): DevItem[] => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : []);
  const chat = (d: DevItem, sentiment?: string, topics?: string[]): LabelledChat => {
    const turns = (d.messages ?? []).map((m) => ({ role: m.role, text: m.content }));
    return { key: keyOf(turns), turns, sentiment, topics };
  };
  const support = load('support.dev.json').map((d) => chat(d, d.references?.sentiment, d.references?.topics));
  const business = load('business.dev.json').filter((d) => d.messages && d.gold?.sentiment).map((d) => chat(d, d.gold!.sentiment));
  return { support, business };
}
