import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../types.js';
import { conversationSentiment } from './sentiment.js';
import { conversationTopics, detectDomains } from './topics.js';
import { prepareTranscript } from './transcript.js';

function chat(turns: Array<['user' | 'assistant', string]>): EngineConversation {
  return { id: 'c', title: null, kind: 'chat', startTime: null, segments: turns.map(([role, text], index) => ({ index, role, speaker: role, text, timestamp: null })) };
}

test('service domains come from what the user asks for, not what the assistant mentions', () => {
  const t = prepareTranscript(
    chat([
      ['user', 'I need a taxi from the station to my restaurant reservation at 7.'],
      ['assistant', 'Booked. The taxi will wait by the hotel entrance next to the station.'],
      ['user', 'Thanks!'],
    ]),
  );
  const domains = detectDomains(t);
  assert.equal(domains[0], 'taxi');
  assert.ok(!domains.includes('hotel'), `the assistant's "hotel entrance" is no topic: ${domains}`);
});

test('lexicons cover services beyond travel', () => {
  const t = prepareTranscript(
    chat([
      ['user', 'Can you check my account balance and transfer $200 to my savings account?'],
      ['assistant', 'Done. Your balance is now $1,240.'],
      ['user', 'Also what is the weather forecast for tomorrow?'],
    ]),
  );
  assert.deepEqual([...detectDomains(t)].sort(), ['banking', 'weather']);
});

test('conversations outside the service domains fall back to key phrases', () => {
  const t = prepareTranscript(
    chat([
      ['user', 'My grandmother taught me to knit wool scarves.'],
      ['assistant', 'Knitting wool scarves is a lovely skill. Which wool scarves do you like best?'],
      ['user', 'Thick wool scarves in winter.'],
    ]),
  );
  assert.ok(conversationTopics(t).includes('wool scarves'));
});

test('sentiment: enthusiasm is positive, friction negative, polite closings neutral', () => {
  const happy = conversationSentiment(prepareTranscript(chat([['user', 'Find me a museum.'], ['assistant', 'The Fitzwilliam is free.'], ['user', 'Perfect, that sounds wonderful! Thanks so much for the great help!']])));
  assert.equal(happy.sentiment, 'positive');
  // An ordinary exchange (a search narrowed down, an answer) closed politely: thanks alone are not enthusiasm.
  const polite = conversationSentiment(prepareTranscript(chat([['user', 'I need a train to Ely on Saturday.'], ['assistant', 'There are 12 trains. What time would you like to leave?'], ['user', 'After 10 am.'], ['assistant', 'TR1234 leaves at 10:15.'], ['user', 'Ok. That is all, thanks.']])));
  assert.equal(polite.sentiment, 'neutral');
  const angry = conversationSentiment(prepareTranscript(chat([['user', 'The app crashed again.'], ['assistant', 'Sorry, I was unable to fix it.'], ['user', 'This is useless and still not working. Terrible service!']])));
  assert.equal(angry.sentiment, 'negative');
});
