// Scores the insights of the chats in business.dev.json against their gold labels: whether the
// task was completed, and the conversation sentiment. Called from scripts/eval.ts (`--only chats`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineConversation } from '../src/engines/types.js';
import type { Produce } from './eval.js';

interface BusinessChat {
  id: string;
  title?: string;
  startTime?: string;
  messages?: Array<{ role: 'user' | 'assistant'; content: string; timestamp?: string }>;
  gold: { sentiment?: string; taskCompleted?: boolean };
}

export function businessChatConversation(c: BusinessChat): EngineConversation {
  return {
    id: c.id,
    title: c.title ?? null,
    kind: 'chat',
    startTime: c.startTime ?? null,
    segments: (c.messages ?? []).map((m, i) => ({ index: i, text: m.content, speaker: m.role, role: m.role, timestamp: m.timestamp ?? null })),
  };
}

/** Lines for the evaluation table: task completion right, sentiment right, out of the chats with gold. */
export async function evalBusinessChats(dataDir: string, produce: Produce, verbose: (line: string) => void): Promise<string[]> {
  const path = join(dataDir, 'business.dev.json');
  if (!existsSync(path)) return [];
  const chats = (JSON.parse(readFileSync(path, 'utf8')) as BusinessChat[]).filter((c) => c.messages?.length);
  let taskRight = 0;
  let taskItems = 0;
  let sentimentRight = 0;
  let sentimentItems = 0;
  for (const c of chats) {
    const res = await produce(businessChatConversation(c), { kind: 'insights' });
    if (typeof c.gold.taskCompleted === 'boolean') {
      taskItems++;
      if (res.taskCompleted === c.gold.taskCompleted) taskRight++;
    }
    if (c.gold.sentiment) {
      sentimentItems++;
      if (res.sentiment === c.gold.sentiment) sentimentRight++;
    }
    verbose(`${c.id} task ${c.gold.taskCompleted}/${res.taskCompleted} sentiment ${c.gold.sentiment}/${res.sentiment} signals ${JSON.stringify(res.taskSignals)}`);
  }
  const row = (label: string, right: number, n: number) => `${label.padEnd(34)}${`${right} of ${n}`.padStart(7)}`;
  return [...(taskItems ? [row('Business chats taskCompleted right', taskRight, taskItems)] : []), ...(sentimentItems ? [row('Business chats sentiment right', sentimentRight, sentimentItems)] : [])];
}
