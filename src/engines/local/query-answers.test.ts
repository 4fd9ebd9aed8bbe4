import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../types.js';
import { createLocalEngine } from './engine.js';
import { assertEvidence } from './testing/assertions.js';
import { whenSubject } from './answer-compose.js';

const engine = createLocalEngine();

function conversation(lines: Array<[string, string]>, startTime: string | null = '2026-02-24T15:00:00Z'): EngineConversation {
  return {
    id: 'qa',
    title: null,
    kind: 'meeting',
    startTime,
    segments: lines.map(([speaker, text], index) => ({ index, speaker, text, timestamp: null })),
  };
}

/** A support chat: each line is [role, text]; the role is also the speaker. */
function chat(lines: Array<['user' | 'assistant', string]>, startTime: string, timeZone: string | null = null): EngineConversation {
  return {
    id: 'qa-chat',
    title: null,
    kind: 'chat',
    startTime,
    timeZone,
    segments: lines.map(([role, text], index) => ({ index, speaker: role, role, text, timestamp: null })),
  };
}

// A vendor call where the questions are asked by one side and answered by the other.
const vendorCall = conversation([
  ['Priya Nair', 'Thanks for joining. We want to understand what your team needs before the pilot.'],
  ['Priya Nair', 'You mentioned compliance requirements on the last call, Tomas, can you walk me through them?'],
  ['Tomas Berg', 'Sure. We need ISO 27001 certification, single sign-on through Okta, and all customer data stored in Frankfurt.'],
  ['Priya Nair', 'Understood, our hosting in Frankfurt is already available.'],
  ['Tomas Berg', 'The board will hold the purchase review on Thursday, March 5, and Lena Park signs off on the budget.'],
  ['Priya Nair', 'Who else should join the technical deep dive?'],
  ['Tomas Berg', 'Our security architect, Olu Adeyemi, should join the technical deep dive.'],
  ['Priya Nair', 'Great. I will send the pilot proposal by Friday.'],
]);

/** Whether the response contains a question that was asked in the conversation. */
function repeatsAQuestion(c: EngineConversation, response: string): string | null {
  for (const s of c.segments) {
    for (const q of s.text.match(/[^.?!]*\?/g) ?? []) {
      const core = q.trim().replace(/\?$/, '').split(/\s+/).slice(-8).join(' ');
      if (core.split(' ').length >= 4 && response.includes(core)) return q.trim();
    }
  }
  return null;
}

test('answers lead with the answer and never repeat the question asked in the conversation', async () => {
  const cases: Array<[string, RegExp]> = [
    ['What compliance requirements did Tomas mention?', /^Tomas Berg said the team need ISO 27001 certification, single sign-on through Okta, and all customer data stored in Frankfurt\./],
    ['When is the purchase review?', /^The purchase review is on Thursday, March 5\./],
    ['Who signs off on the budget?', /^Lena Park\. .*Lena Park signs off on the budget/],
    ['Who should join the technical deep dive?', /^Olu Adeyemi\. .*Olu Adeyemi, should join the technical deep dive/],
  ];
  for (const [query, expected] of cases) {
    const r = await engine.query(vendorCall, query);
    assert.match(r.response, expected, `${query} → ${r.response}`);
    assert.equal(repeatsAQuestion(vendorCall, r.response), null, `${query} → ${r.response}`);
    assertEvidence(vendorCall, r.evidence, query);
  }
});

test('a list question is answered with the list from the extracted items', async () => {
  const r = await engine.query(vendorCall, 'What are the action items?');
  assert.match(r.response, /^One action item was agreed: \(1\) Priya Nair will send the pilot proposal by Friday \(February 27\)\.$/);
});

test('a question nothing answers says so plainly and suggests what can be asked', async () => {
  const r = await engine.query(vendorCall, 'What did they say about the marketing budget for trade shows?');
  assert.match(r.response, /^Nothing in this conversation answers that\. .*You could ask: “/);
  assert.equal(r.evidence.length, 0);
});

test('a question about something settled leads with the decision', async () => {
  const c = conversation([
    ['Sanjay Patel', 'The candidate is asking for ninety five and the band tops out at ninety.'],
    ['Eleanor Hughes', 'What about ninety two base plus a five thousand sign-on bonus?'],
    ['Rachel Adeyemi', 'That works for me.'],
    ['Sanjay Patel', 'So, decision: we offer ninety two base plus a five thousand sign-on bonus. Everyone okay?'],
    ['Eleanor Hughes', 'Yes.'],
    ['Rachel Adeyemi', 'Agreed.'],
    ['Sanjay Patel', 'I will call her with the verbal offer on Wednesday.'],
  ]);
  const r = await engine.query(c, 'What sign-on bonus is in the offer?');
  assert.match(r.response, /^It was decided that .*ninety two base plus a five thousand sign-on bonus/i, r.response);
  assert.ok(r.evidence.some((e) => e.segmentIndex === 3), JSON.stringify(r.evidence));
});

test('"When is…" leads with the date ahead, not one already past', async () => {
  const c = conversation([
    ['Priya Nair', 'The first design review was on Monday, February 23, and it ran long.'],
    ['Tomas Berg', 'The second design review is on Thursday, March 5, in the big room.'],
    ['Priya Nair', 'Good, I will book the projector for the design review.'],
  ]);
  const r = await engine.query(c, 'When is the design review happening?');
  assert.match(r.response, /^The design review is on Thursday, March 5/, r.response);
  assert.equal(whenSubject('When is the technician coming?'), 'The technician is coming');
  assert.equal(whenSubject('When will my book arrive?'), 'Your book will arrive');
  assert.equal(whenSubject('When was the ticket opened?'), 'The ticket was opened');
});

// A short meeting of three topics, none of them said in the words the questions below use.
const threeTopics = conversation([
  ['Ana Souza', 'Welcome back everyone. First item is the office move, the lease on the old building ends in June and the movers are booked.'],
  ['Ben Ortiz', 'The new building has a bigger kitchen and the parking garage is right next door, so people are happy about that.'],
  ['Ana Souza', 'Next item. Customers keep telling us the price of the starter plan is too high for small teams.'],
  ['Ben Ortiz', 'Two prospects walked away last month because of the price, so I want to lower it to forty dollars a seat.'],
  ['Ana Souza', 'Last item is hiring. We still need a second designer and the recruiter has three candidates lined up.'],
  ['Ben Ortiz', 'I can interview them on Thursday afternoon if someone else covers the support queue.'],
]);

test('a question in other words than the conversation finds it through word vectors', async () => {
  const c = threeTopics;
  const r = await engine.query(c, 'What did they say about costs?');
  // "costs" is never said; "price" is its nearest word in the conversation.
  assert.match(r.response, /price of the starter plan|lower it to forty dollars/, r.response);
  assert.doesNotMatch(r.response, /^Nothing in this conversation answers that/);
  assert.ok(r.evidence.some((e) => e.segmentIndex === 2 || e.segmentIndex === 3), JSON.stringify(r.evidence));
  // A question about something the conversation never touches is still not answered.
  const none = await engine.query(c, 'What did they say about the marketing budget for trade shows?');
  assert.match(none.response, /^Nothing in this conversation answers that/, none.response);
});

test('a person is asked about by first name, and a short answer keeps to what was asked', async () => {
  const r = await engine.query(threeTopics, 'What did Ana say about hiring?');
  assert.match(r.response, /^Ana Souza said the team still need a second designer/, r.response);
  // Ana's other turns (the office move, the price) are not about hiring.
  assert.doesNotMatch(r.response, /office move|starter plan/, r.response);
  const ben = await engine.query(threeTopics, 'What did Ben say?');
  assert.match(ben.response, /Ben Ortiz/, ben.response);
  assert.doesNotMatch(ben.response, /^Nothing in this conversation/, ben.response);
  assert.ok(ben.evidence.every((e) => threeTopics.segments[e.segmentIndex].speaker === 'Ben Ortiz'), JSON.stringify(ben.evidence));
});

test('a reported statement keeps the capital of a name it opens with and lowers an ordinary word', async () => {
  const c = conversation([
    ['Ana Souza', 'Quick update on the vendor quote for the scanners.'],
    ['Ana Souza', 'Honestly the vendor quote for the scanners is late again.'],
    ['Ben Ortiz', 'That is annoying, we need the scanners before the audit.'],
    ['Ana Souza', 'Carla sends the vendor quote for the scanners by Friday, she promised.'],
  ]);
  const r = await engine.query(c, 'What did Ana say about the vendor quote?');
  assert.match(r.response, /Ana Souza said Carla sends the vendor quote/, r.response);
  assert.match(r.response, /Ana Souza said honestly the vendor quote/, r.response);
});

test('a question about what one person said about a topic is answered from where that person speaks of it', async () => {
  // Other business between the two places where price comes up, so they are far apart.
  const other = ['the office move', 'the support rota', 'the quarterly offsite', 'the laptop refresh', 'the security training', 'the parking permits', 'the newsletter', 'the holiday calendar'];
  const between = other.flatMap((topic, i): Array<[string, string]> => [
    [i % 2 ? 'Carol Diaz' : 'Ana Souza', `Next is ${topic}. There are a few open questions about ${topic} that we should settle with the people who run it before the end of the month.`],
    ['Ben Ortiz', `Fine with me, I have no strong view on ${topic} and I am happy to follow whatever the group prefers on it.`],
  ]);
  const c = conversation([
    ['Ana Souza', 'Pricing first. The starter price is too high, the pricing page confuses people, and the price of seats doubles at ten users.'],
    ['Ana Souza', 'Our pricing also lacks an annual option, and the competitor price is twenty percent lower, so pricing is my biggest worry this quarter.'],
    ['Carol Diaz', 'I agree the pricing page needs work, the price table is unreadable on phones, and the price comparison is missing.'],
    ...between,
    ['Carol Diaz', 'Next, hiring. The recruiter has three candidates for the designer role and interviews start Monday.'],
    ['Ben Ortiz', 'On hiring, I can take the second interviews. I also think the price for the team plan should stay where it is, our customers never complain about it.'],
    ...between,
  ]);
  const ben = c.segments.findIndex((seg) => /team plan should stay/.test(seg.text));
  const r = await engine.query(c, 'What did Ben say about the price?');
  assert.match(r.response, /team plan should stay where it is/, r.response);
  assert.ok(r.evidence.some((e) => e.segmentIndex === ben), JSON.stringify(r.evidence));
});

test('"When is…" in a chat is answered with the date ahead, even when another sentence of the answering turn says it', async () => {
  const c = chat(
    [
      ['user', 'A technician was supposed to come yesterday between 8 and 12 and nobody showed up.'],
      ['assistant', 'I can see a ticket open since Saturday August 1st for loss of service, and a technician visit that was scheduled for yesterday.'],
      ['user', 'So what now?'],
      ['assistant', "I've booked the appointment for Thursday, August 13th, 8 AM to 12 PM. The technician will call 30 minutes before arrival."],
    ],
    '2026-08-04T13:05:00Z',
    'America/Toronto',
  );
  const r = await engine.query(c, 'When is the technician coming?');
  assert.match(r.response, /^The technician is coming on Thursday, August 13\./, r.response);
  assert.ok(!/^The technician is coming on Saturday/.test(r.response), r.response);
});

test('"What did Priya commit to?" lists her action items, and says so plainly when someone has none', async () => {
  const r = await engine.query(vendorCall, 'What did Priya commit to?');
  assert.match(r.response, /^Priya Nair will send the pilot proposal by Friday/, r.response);
  assert.ok(r.evidence.some((e) => e.segmentIndex === 7), JSON.stringify(r.evidence));
  const agreed = await engine.query(vendorCall, 'What did Priya agree to do?');
  assert.equal(agreed.response, r.response);
  const none = await engine.query(vendorCall, 'What did Lena promise?');
  assert.doesNotMatch(none.response, /Priya Nair will send/, none.response);
  const tomas = await engine.query(vendorCall, 'What did Tomas commit to?');
  assert.equal(tomas.response, 'No action items were assigned to Tomas Berg in this conversation.');
  assert.equal(tomas.evidence.length, 0);
});

test('a chat\'s sides are asked about as "the customer" and "the agent"', async () => {
  const c = chat(
    [
      ['user', 'Hi, I was charged twice for my photo book order and I need the money back.'],
      ['assistant', 'I am sorry about that. I can see two payments of 64.98 euro for the same order.'],
      ['user', 'Also the book has to arrive before Saturday, it is a present for my parents.'],
      ['assistant', 'I have refunded the duplicate payment and upgraded the shipping to express, it arrives Friday.'],
    ],
    '2026-02-16T10:00:00Z',
  );
  const r = await engine.query(c, "What was the customer's problem?");
  assert.match(r.response, /charged twice/, r.response);
  assert.ok(r.evidence.every((e) => c.segments[e.segmentIndex].speaker === 'user'), JSON.stringify(r.evidence));
});
