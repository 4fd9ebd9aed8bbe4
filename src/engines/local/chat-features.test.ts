import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sentimentFeatures, turnSummary, userTurnFeatures, type ChatTurn } from './chat-features.js';
import { TURN_MODELS } from './chat-model.js';

const chat = (closing: string): ChatTurn[] => [
  { role: 'user', text: 'I need a table for two in the centre tonight.' },
  { role: 'assistant', text: 'Sorry, there is no availability in the centre tonight.' },
  { role: 'user', text: 'What about tomorrow at seven?' },
  { role: 'assistant', text: 'Tomorrow at seven works. Shall I book it?' },
  { role: 'user', text: closing },
];

test('each user turn is read with the assistant turn it answers', () => {
  const turns = userTurnFeatures(chat('Yes please.'));
  assert.equal(turns.length, 3);
  assert.equal(turns[1].get('s:sorry'), 1, 'the second user turn answers the apology');
  assert.equal(turns[0].get('s:sorry'), undefined, 'the first user turn answers nothing');
  assert.equal(turns[1].get('#failure'), Math.log1p(2));
  assert.deepEqual(turns.map((f) => f.get('#last')), [0, 0, 1]);
});

test('the shipped turn models rate a pleased ending above an annoyed one', () => {
  const pleased = turnSummary(TURN_MODELS, chat('Perfect, thank you so much, that is great!'));
  const annoyed = turnSummary(TURN_MODELS, chat('This is useless, you keep getting it wrong. I already said seven.'));
  for (const f of [pleased, annoyed]) for (const v of f.values()) assert.ok(v >= 0 && v <= 1);
  assert.ok(annoyed.get('#turn_bad_last')! > pleased.get('#turn_bad_last')!, `${annoyed.get('#turn_bad_last')} vs ${pleased.get('#turn_bad_last')}`);
  assert.ok(pleased.get('#turn_good_last')! > annoyed.get('#turn_good_last')!, `${pleased.get('#turn_good_last')} vs ${annoyed.get('#turn_good_last')}`);
  // Sentiment features carry the summary only when given the models.
  assert.equal(sentimentFeatures(chat('Thanks.')).has('#turn_bad_max'), false);
  assert.equal(sentimentFeatures(chat('Thanks.'), TURN_MODELS).has('#turn_bad_max'), true);
});
