import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planningMeeting } from './testing/planning-meeting.js';
import { mentionedPeople, participants } from './participants.js';
import { canonicalSpeaker, prepareTranscript } from './transcript.js';

test('participants are the speakers plus people named in the conversation', () => {
  const t = prepareTranscript(planningMeeting());
  assert.deepEqual(participants(t, mentionedPeople(t)), ['Alice', 'Bob', 'Carol', 'Dave']);
});

test('capitalised non-names are not people', () => {
  const t = prepareTranscript({
    id: 'p',
    title: null,
    kind: 'meeting',
    startTime: null,
    segments: [
      { index: 0, speaker: 'Kim', timestamp: null, text: 'Revenue in Q2 grew, and the Board met in London with Microsoft on Monday.' },
      { index: 1, speaker: 'Lee', timestamp: null, text: 'Great. I spoke to Priya Sharma about the Analytics Dashboard.' },
    ],
  });
  assert.deepEqual(mentionedPeople(t), ['Priya Sharma']);
});

test('speaker labels with a parenthetical role are one person', () => {
  assert.equal(canonicalSpeaker('Jane Doe (Prime Minister)'), 'Jane Doe');
  assert.equal(canonicalSpeaker('Jane Doe'), 'Jane Doe');
});

function meeting(lines: Array<[string, string]>) {
  return prepareTranscript({
    id: 'p2',
    title: null,
    kind: 'meeting',
    startTime: null,
    segments: lines.map(([speaker, text], index) => ({ index, speaker, text, timestamp: null })),
  });
}

test('participants: speakers plus people addressed or named as owners, not brands, products or things', () => {
  const t = meeting([
    ['Dana Whitfield', 'Okay, Leah, are you on? Thanks for joining, Maria.'],
    ['Leah Goldstein', 'Yes. Rachel Adams will send the release notes, and I asked Felix Hartmann to review them.'],
    ['Dana Whitfield', 'Good. Tom, can you take the review? Oh, and Greg Ostrowski is going to update the calendar.'],
    ['Tomasz Kowalczyk', 'Sure. The Nikon Coolpix sample looked great, and the Remington rifle photos too.'],
    ['Leah Goldstein', 'Our TikTok rep says Black Friday traffic doubled. Acme Analytics agreed, and Sarah Connor was mentioned in the press.'],
    ['Dana Whitfield', 'I shipped it to 218 Clearwater Crescent, Kanata'],
  ]);
  const people = participants(t, mentionedPeople(t));
  const extra = people.slice(t.speakers.length);
  assert.deepEqual(people.slice(0, t.speakers.length), ['Dana Whitfield', 'Leah Goldstein', 'Tomasz Kowalczyk']);
  // Maria is thanked, Rachel and Greg take tasks, Felix is asked to do one; Tom is the speaker Tomasz.
  for (const who of ['Maria', 'Rachel Adams', 'Felix Hartmann', 'Greg Ostrowski']) assert.ok(extra.includes(who), `${who} in ${JSON.stringify(extra)}`);
  for (const not of ['Tom', 'Nikon', 'Coolpix', 'Remington', 'TikTok', 'Acme', 'Sarah Connor', 'Kanata', 'Black Friday']) {
    assert.ok(!extra.some((p) => p.includes(not)), `${not} is not a participant: ${JSON.stringify(extra)}`);
  }
});

test('participants: a name given once in full and once by first name is listed once, accents kept', () => {
  const t = meeting([
    ['Camila Rocha', 'Antônio Ferraz from the factory confirmed the date.'],
    ['Beatriz Lima', 'Antônio will send the fifty units, and René Baptiste will file the claim.'],
  ]);
  const extra = participants(t, mentionedPeople(t)).slice(t.speakers.length);
  assert.deepEqual(extra.filter((p) => /Ant/.test(p)), ['Antônio Ferraz']);
  assert.ok(extra.some((p) => p === 'René Baptiste'), JSON.stringify(extra));
});
