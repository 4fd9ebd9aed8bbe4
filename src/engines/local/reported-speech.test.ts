import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportUtterance } from './reported-speech.js';
import { prepareTranscript } from './transcript.js';

function report(text: string, self = 'Ann', other = 'Tom'): string {
  const t = prepareTranscript({ id: 'r', title: null, kind: 'chat', startTime: null, segments: [{ index: 0, text, speaker: self, timestamp: null }] });
  return reportUtterance(t.sentences[0].tokens, self, other);
}

test('statements become third person with agreement', () => {
  assert.equal(report('I want to find a job in genetics.'), 'Ann wants to find a job in genetics');
  assert.equal(report("I'm a day late for registration."), 'Ann is a day late for registration');
  assert.equal(report('Well, my dog is lost.'), "Ann says Ann's dog is lost");
});

test('questions, requests and suggestions get a reporting verb', () => {
  assert.equal(report('What do you think of this coffee table?'), 'Ann asks Tom what Tom thinks of this coffee table');
  assert.equal(report('Can you show me around the school?'), 'Ann asks Tom to show Ann around the school');
  assert.equal(report('How about taking a walk in the park?'), 'Ann suggests taking a walk in the park');
  assert.equal(report('Have you called the shelters?'), 'Ann asks Tom whether Tom called the shelters');
});
