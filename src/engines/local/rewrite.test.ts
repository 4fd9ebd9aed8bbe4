import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteSentence, speakerReference } from './rewrite.js';

const voice = { addressee: null, group: 'the team' };

test('first person becomes third person for a known speaker', () => {
  assert.equal(rewriteSentence("I'll send the handover doc by Friday.", 'Aisha', voice), 'Aisha will send the handover doc by Friday.');
  assert.equal(rewriteSentence('I have been working on it and my draft is done.', 'Bob', voice), "Bob has been working on it and Bob's draft is done.");
  assert.equal(rewriteSentence("We're planning to sell the remote for twenty five Euros, and we'll review it.", 'Project Manager', voice), "The team are planning to sell the remote for twenty five Euros, and they'll review it.");
  // "let's" is a suggestion, not something done to the team.
  assert.match(rewriteSentence("Let's ship it on Monday.", 'Bob', voice), /^Let's ship it on Monday\.$/);
});

test('fillers, hedges and false starts are removed', () => {
  assert.equal(rewriteSentence('Um so I think we should, you know, look at the the pricing again.', 'Project Manager', voice), 'The Project Manager thinks the team should look at the pricing again.');
  assert.equal(rewriteSentence("We can aim for I mean we can aim for a long battery life, uh, right.", 'Dana', voice), 'The team can aim for a long battery life, right.');
  assert.equal(rewriteSentence("You yeah, oh yeah the dial wouldn't have to be wound.", 'Marketing', voice), "The dial wouldn't have to be wound.");
  assert.equal(rewriteSentence("So you're you'll be getting the specs tomorrow.", 'Jo', voice), "You'll be getting the specs tomorrow.");
});

test('unknown speakers keep the first person; roles read as roles', () => {
  assert.equal(rewriteSentence("I'll send it.", 'Speaker 2', voice), "I'll send it.");
  assert.equal(speakerReference('Speaker 1'), null);
  assert.equal(speakerReference('Project Manager'), 'the Project Manager');
  assert.equal(speakerReference('The Chair'), 'the Chair');
  assert.equal(speakerReference('Aisha Khan'), 'Aisha Khan');
  assert.equal(speakerReference('user'), 'the customer');
});

test('in a chat, where the group is "they", "our" is "their", never "they\'s"', () => {
  const chat = { addressee: null, group: 'they' };
  assert.equal(rewriteSentence("I've checked, and there's no outage reported on our network.", 'assistant', chat), "The assistant has checked, and there's no outage reported on their network.");
});

test('a person named twice in one rewritten sentence is named in full once, then by first name', () => {
  const voice = { addressee: null, group: 'the team' };
  assert.equal(rewriteSentence("I feel like I'm gonna have a lot of questions.", 'DeShawn Carter', voice), 'DeShawn Carter feels like DeShawn is gonna have a lot of questions.');
  // Roles are not names: "the Project Manager" stays whole.
  assert.match(rewriteSentence('I think I should send my notes.', 'Project Manager', voice), /the Project Manager should send the Project Manager's notes/);
});
