import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../../types.js';
import { conversationHeader } from './common.js';

const conv = (timeZone: string | null): EngineConversation => ({
  id: 'c',
  title: 'Interview',
  kind: 'meeting',
  startTime: '2026-05-07T23:00:00Z',
  timeZone,
  segments: [{ index: 0, speaker: 'Kenji', text: 'Hi', timestamp: null }],
});

test("the model is told the conversation's day in its own zone", () => {
  // 23:00 UTC on Thursday May 7 is Friday morning in Sydney.
  assert.match(conversationHeader(conv('Australia/Sydney')), /Date: 2026-05-08 \(Friday\)/);
  assert.match(conversationHeader(conv(null)), /Date: 2026-05-07 \(Thursday\)/);
  assert.match(conversationHeader(conv('Not/AZone')), /Date: 2026-05-07 \(Thursday\)/, 'an unknown zone is read as UTC');
});
