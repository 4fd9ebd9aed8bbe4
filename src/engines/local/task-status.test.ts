import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../types.js';
import { assessTask } from './task-status.js';
import { prepareTranscript } from './transcript.js';

function chat(turns: Array<['user' | 'assistant', string]>): EngineConversation {
  return { id: 'c', title: null, kind: 'chat', startTime: null, segments: turns.map(([role, text], index) => ({ index, role, speaker: role, text, timestamp: null })) };
}
const assess = (turns: Array<['user' | 'assistant', string]>) => assessTask(prepareTranscript(chat(turns)));

test('a request submitted for review is not completed, reference number or not, and is listed as an issue', () => {
  const r = assess([
    ['user', 'My refund for the cancelled order never arrived.'],
    ['assistant', 'I have submitted your refund request for review. Your reference number is RF-88213.'],
    ['assistant', 'The billing team will decide within 5–10 business days.'],
    ['user', 'Ok, thanks.'],
  ]);
  assert.equal(r.taskCompleted, false);
  assert.ok(r.issues.some((i) => i.type === 'unresolved_request' && /pending/.test(i.description)), JSON.stringify(r.issues));
  assert.ok(r.taskSignals.some((s) => /pending/.test(s)));
});

test('an escalated chat is not completed', () => {
  const r = assess([
    ['user', 'The router still drops the connection every hour.'],
    ['assistant', "I've escalated your case to our network team; they will contact you within 48 hours."],
    ['user', 'Fine, thank you.'],
  ]);
  assert.equal(r.taskCompleted, false);
});

test('a frustrated last user turn means not completed, with a frustration issue', () => {
  const r = assess([
    ['user', 'I was charged for a plan I cancelled.'],
    ['assistant', 'I can offer a $5 credit for the inconvenience.'],
    ['user', 'Whatever. You have not helped at all.'],
  ]);
  assert.equal(r.taskCompleted, false);
  assert.ok(r.issues.some((i) => i.type === 'frustration'));
});

test('a stated fulfilment the user confirms is completed, even with a delay noted beside it', () => {
  const r = assess([
    ['user', 'I was charged twice for one order.'],
    ['assistant', 'Done ✅ The refund of €20 has been issued. It takes 3 to 5 business days to show on your statement.'],
    ['user', 'Got it, the email just came in. Perfect, thanks!!'],
  ]);
  assert.equal(r.taskCompleted, true);
  assert.deepEqual(r.issues, [], 'delight with "!!" is not frustration');
});
