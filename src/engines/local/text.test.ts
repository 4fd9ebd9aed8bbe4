import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capLongTokens, cleanSentence, fillerCount, MAX_TOKEN_CHARS, normaliseSpacing, removeRepetitions, titleCase, truncateWords } from './text.js';

test('cleanSentence removes hesitations, fillers and leading discourse markers', () => {
  assert.equal(cleanSentence('Um and I um like to show you the agenda, you know, for the meeting.'), 'I like to show you the agenda for the meeting.');
  assert.equal(cleanSentence('So, uh, we should, you know, look at the pricing again'), 'We should look at the pricing again.');
  assert.equal(cleanSentence('Okay. Yeah.'), '');
  // A last clause that trails off goes; a complete one stays.
  assert.equal(cleanSentence('It kept breaking every time design changed the cancel windows, and the showcase build is, you know.'), 'It kept breaking every time design changed the cancel windows.');
  assert.equal(cleanSentence('It kept breaking every time design changed, and the build is late.'), 'It kept breaking every time design changed, and the build is late.');
});

test('cleanSentence removes repeated words and false starts', () => {
  assert.equal(cleanSentence("I don I don't want you f feeling that you have to"), "I don't want you feeling that you have to.");
  assert.equal(cleanSentence('the the remote control is is too big'), 'The remote control is too big.');
  assert.equal(removeRepetitions('we we we need it'), 'we need it');
  // A real word that merely starts the next one is kept.
  assert.equal(removeRepetitions('the theory holds'), 'the theory holds');
});

test('normaliseSpacing joins split contractions and hyphens', () => {
  assert.equal(normaliseSpacing("we 're gonna do n't cut - down"), "we're gonna don't cut-down");
});

test('fillerCount applies context rules', () => {
  assert.equal(fillerCount('Um, so, like, what do you think, uh, we should cut?'), 3);
  // "do you know" is a question and "I like" is a verb, not fillers.
  assert.equal(fillerCount('Do you know the answer? I like it.'), 0);
  assert.equal(fillerCount('It was, you know, sort of expensive.'), 2);
  assert.equal(fillerCount('What kind of plan is it?'), 0);
});

test('titleCase and truncateWords', () => {
  assert.equal(titleCase('battery life of the remote'), 'Battery Life of the Remote');
  assert.equal(titleCase('LCD screen'), 'LCD Screen');
  const long = 'one two three four five six, seven eight nine ten eleven twelve';
  assert.equal(truncateWords(long, 8), 'one two three four five six…');
  assert.equal(truncateWords('short one', 8), 'short one');
});

test('capLongTokens cuts only runs longer than the cap, by code point, and leaves the rest alone', () => {
  const ordinary = 'Review https://example.com/a/b and the budget, then ship.';
  assert.equal(capLongTokens(ordinary), ordinary);
  const long = 'x'.repeat(100_000);
  assert.equal(capLongTokens(`before ${long} after`), `before ${'x'.repeat(MAX_TOKEN_CHARS)}… after`);
  // Emoji are two UTF-16 units each: the cut never leaves half of one behind.
  const capped = capLongTokens('😀'.repeat(MAX_TOKEN_CHARS + 1));
  assert.equal(capped, `${'😀'.repeat(MAX_TOKEN_CHARS)}…`);
  assert.ok(capped.isWellFormed());
});

test('opening words set off by a dash or comma go, and "like" before an amount is a hedge', () => {
  assert.equal(cleanSentence('No — oh, actually, the rounding thing Leah found, I looked at it for like twenty minutes.'), 'The rounding thing Leah found, I looked at it for twenty minutes.');
  assert.equal(cleanSentence('No, that is too expensive.'), 'No, that is too expensive.');
  assert.equal(cleanSentence('hi i think i was charged twice for my order'), 'I think i was charged twice for my order.');
  assert.equal(cleanSentence('It looks like two people signed up.'), 'It looks like two people signed up.');
});
