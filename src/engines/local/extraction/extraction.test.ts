// Action items and decisions as users get them from key points, on short meetings written for
// these tests: repeats and recaps merge, owners are people in the conversation, "you" and "me" are
// resolved, explicit decisions are found, parked questions are not decisions, reversals keep the
// final state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../../types.js';
import { createLocalEngine } from '../engine.js';
import { prepareTranscript } from '../transcript.js';
import { buildActionItems, readsAsReport, taskWording } from './items.js';
import { pickOwner } from './owner-model.js';

const engine = createLocalEngine();

function meeting(lines: Array<[string, string]>): EngineConversation {
  return {
    id: 'extraction-test',
    title: 'Weekly sync',
    kind: 'meeting',
    startTime: '2026-05-04T15:00:00Z',
    segments: lines.map(([speaker, text], index) => ({ index, speaker, text, timestamp: null })),
  };
}

const recapMeeting = meeting([
  ['Rosa Linde', "Morning all. Quick one today, mostly the vendor renewal and the onboarding survey."],
  ['Tariq Osei', 'The renewal quote came in twelve percent higher than last year.'],
  ['Rosa Linde', 'That is a lot. Somebody should push back on that.'],
  ['Tariq Osei', "I'll send the vendor a counter-offer with last year's pricing by Thursday."],
  ['Rosa Linde', 'Great. And the survey results are in, response rate was low again.'],
  ['Mei Tanaka', 'Mostly because the email went out on a Friday evening.'],
  ['Rosa Linde', 'Mei, can you draft a shorter survey email for the next cohort?'],
  ['Mei Tanaka', 'Sure, I can do that this week.'],
  ['Tariq Osei', 'Unrelated, but the coffee machine on floor three is broken again.'],
  ['Rosa Linde', 'Ha, that one is beyond saving. Okay, to recap.'],
  ['Rosa Linde', "Tariq sends the vendor a counter-offer with last year's pricing by Thursday, and Mei drafts the shorter survey email."],
  ['Mei Tanaka', 'Sounds good. Thanks everyone.'],
]);

test('a task said and then recapped is one item carrying both turns as evidence', async () => {
  const kp = await engine.keypoints(recapMeeting);
  const counter = kp.actionItems.filter((a) => /counter-offer/i.test(a.item));
  assert.equal(counter.length, 1, `one counter-offer item: ${JSON.stringify(kp.actionItems.map((a) => a.item))}`);
  assert.equal(counter[0].owner, 'Tariq Osei');
  assert.equal(counter[0].dueDate, '2026-05-07');
  const segs = counter[0].evidence.map((e) => e.segmentIndex);
  assert.ok(segs.includes(3) && segs.includes(10), `evidence from the commitment and the recap: ${segs}`);
});

test('owners are speakers or people named in the conversation, and "you" is the person asked', async () => {
  const kp = await engine.keypoints(recapMeeting);
  const people = new Set(['Rosa Linde', 'Tariq Osei', 'Mei Tanaka', 'all']);
  for (const a of kp.actionItems) assert.ok(a.owner === null || people.has(a.owner), `owner ${a.owner} of "${a.item}"`);
  const survey = kp.actionItems.find((a) => /survey email/i.test(a.item));
  assert.ok(survey, `survey item: ${JSON.stringify(kp.actionItems.map((a) => a.item))}`);
  assert.equal(survey.owner, 'Mei Tanaka');
  assert.ok(!kp.actionItems.some((a) => /coffee machine/i.test(a.item)), 'small talk is not a task');
});

test('"send me" names the speaker, and the task keeps its content words', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Marcus Bell', 'The rounding bug only shows up with the USD settlement files.'],
      ['Leah Goldstein', 'I have one of those from last week that reproduces it.'],
      ['Marcus Bell', 'Leah, can you send me that settlement file after this call?'],
      ['Leah Goldstein', 'Yes, will do.'],
      ['Marcus Bell', 'Thanks. Then I can test the fix against it tomorrow.'],
    ]),
  );
  const send = kp.actionItems.find((a) => /settlement file/i.test(a.item));
  assert.ok(send, `send item: ${JSON.stringify(kp.actionItems)}`);
  assert.equal(send.owner, 'Leah Goldstein');
  assert.match(send.item, /^Send Marcus (?:that|the) settlement file/);
});

test('an explicit decision marker is found, with its evidence', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Ines Duarte', 'We keep going around in circles on the payment providers for the launch.'],
      ['Owen Pike', 'Supporting the wallet app would take another two sprints at least.'],
      ['Ines Duarte', 'Then it does not make the launch. So decision: the wallet app is out of scope for the launch.'],
      ['Owen Pike', 'Fine by me.'],
      ['Ines Duarte', 'Next, the help centre articles.'],
    ]),
  );
  const d = kp.decisionDetails.find((x) => /wallet app is out of scope/i.test(x.text));
  assert.ok(d, `decision found: ${JSON.stringify(kp.decisions)}`);
  assert.ok(d.evidence.some((e) => e.segmentIndex === 2));
});

test('a parked question is not a decision', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Ines Duarte', 'Should we go with annual billing only for the new plan?'],
      ['Owen Pike', 'Finance has not run the numbers yet, so I would rather not commit.'],
      ['Ines Duarte', "Okay, let's park annual billing until finance weighs in next month."],
      ['Owen Pike', 'Agreed, we revisit it then.'],
      ['Ines Duarte', 'Moving on to the hiring plan.'],
    ]),
  );
  assert.ok(!kp.decisions.some((d) => /annual billing/i.test(d)), `no decision on annual billing: ${JSON.stringify(kp.decisions)}`);
});

test('a reversed decision keeps only its final state', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Ines Duarte', 'For the landing page header, blue or green?'],
      ['Owen Pike', "Let's go with the blue header, it matches the app icon."],
      ['Ines Duarte', 'Agreed, blue header.'],
      ['Owen Pike', 'Although the accessibility check flagged blue text on that background.'],
      ['Ines Duarte', "Actually, scratch that, let's go with the green header instead."],
      ['Owen Pike', 'Fine, green header it is.'],
    ]),
  );
  const header = kp.decisionDetails.filter((d) => /header/i.test(d.text));
  assert.equal(header.length, 1, `one header decision: ${JSON.stringify(kp.decisions)}`);
  assert.match(header[0].text, /green/i);
  assert.doesNotMatch(header[0].text, /blue/i);
  assert.ok(header[0].evidence.some((e) => e.segmentIndex === 4));
});

test('in a chat, the agent who introduced themself owns the task and "you" is the customer greeted', () => {
  const roles: Array<['user' | 'assistant', string]> = [
    ['user', 'hello, my parcel with the garden chairs never arrived'],
    ['assistant', 'Hi Oskar, this is Lena Vogt from the delivery team. I can see the parcel was held at the depot.'],
    ['user', 'ok so when will it come'],
    ['assistant', "It goes out again tomorrow. I'll email you the new tracking number as soon as it leaves the depot."],
    ['user', 'great thanks'],
  ];
  const t = prepareTranscript({
    id: 'extraction-chat',
    title: 'Delivery chat',
    kind: 'chat',
    startTime: '2026-05-04T09:00:00Z',
    segments: roles.map(([role, text], index) => ({ index, speaker: role, role, text, timestamp: null })),
  });
  // Item construction on its own: the commitment sentence is given as the one candidate.
  const scored = t.sentences.map((s) => ({ s, p: /tracking number/.test(s.raw) ? 1 : 0 }));
  const [item] = buildActionItems(t, scored, 0.5, { people: [] });
  assert.ok(item, 'one item');
  assert.equal(item.owner, 'Lena Vogt');
  assert.match(item.item, /^Email Oskar the new tracking number/);
  assert.equal(item.evidence[0].segmentIndex, 3);
});

test('"have that to her by Friday" said right after a task is that task: one item, the named wording, the date', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Rosa Linde', 'Before the audit we need the security paperwork from our side.'],
      ['Tariq Osei', "I'll send the completed questionnaire and our SOC report to Mei. I'll have that to her by Friday."],
      ['Mei Tanaka', 'Perfect, thanks Tariq.'],
    ]),
  );
  const tariq = kp.actionItems.filter((a) => a.owner === 'Tariq Osei');
  assert.equal(tariq.length, 1, JSON.stringify(kp.actionItems));
  assert.match(tariq[0].item, /questionnaire/i);
  assert.equal(tariq[0].dueDate, '2026-05-08');
});

test('a sentence announcing a decision is a decision, not an action item', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Dana Whitfield', 'Priya, can you tell customer success the release moved to Monday?'],
      ['Priya Nair', 'Sure, I will tell them today.'],
      ['Dana Whitfield', 'Leah, you need to rerun the full regression by Friday.'],
      ['Leah Goldstein', 'Okay, I will have that done by Friday.'],
      ['Dana Whitfield', 'Decision: the release moves to Monday the sixteenth.'],
    ]),
  );
  assert.ok(kp.decisionDetails.some((d) => /release moves to monday/i.test(d.text)), JSON.stringify(kp.decisions));
  assert.ok(!kp.actionItems.some((a) => /^decision\b/i.test(a.item) || /release moves to monday/i.test(a.item)), JSON.stringify(kp.actionItems));
  assert.ok(kp.actionItems.some((a) => a.owner === 'Leah Goldstein' && /regression/i.test(a.item)));
});

test('a decision announced on its own ("So, decision.") is the sentence after it; "Decision, X" is X', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Hana Berg', 'We have two weeks left and the offline mode is nowhere near ready.'],
      ['Jonas Ek', 'Shipping it half done would be worse than not shipping it.'],
      ['Hana Berg', 'So, decision. The mobile app ships without offline mode in this release. Everyone okay?'],
      ['Jonas Ek', 'Yes.'],
      ['Sara Lind', 'Fine by me.'],
      ['Hana Berg', 'Next, access for the support leads.'],
      ['Sara Lind', 'They need to post on the status page themselves.'],
      ['Hana Berg', 'Decision, support leads get publish rights on the status page.'],
    ]),
  );
  assert.ok(kp.decisionDetails.some((d) => /ships without offline mode/i.test(d.text) && d.evidence.some((e) => e.segmentIndex === 2)), JSON.stringify(kp.decisions));
  assert.ok(kp.decisionDetails.some((d) => /support leads get publish rights/i.test(d.text)), JSON.stringify(kp.decisions));
  assert.ok(!kp.decisions.some((d) => /^(?:so,? )?decision\.?$/i.test(d.trim())), `a bare announcement is not a decision of its own: ${JSON.stringify(kp.decisions)}`);
});

test('the speaker who says "I\'ll ping Bruno tomorrow" owns it, not Bruno; "Everybody, please…" is everyone', async () => {
  const t = prepareTranscript(
    meeting([
      ['Hana Berg', 'The contract draft is still with legal.'],
      ['Jonas Ek', 'Bruno was supposed to send comments last week.'],
      ['Hana Berg', "Okay, I'll ping Bruno tomorrow about the contract, I think he was out Friday."],
      ['Jonas Ek', 'Thanks.'],
      ['Hana Berg', 'Everybody, please fill in the retro survey by Friday.'],
      ['Sara Lind', 'Will do.'],
    ]),
  );
  const names = { people: ['Hana Berg', 'Jonas Ek', 'Sara Lind', 'Bruno'] };
  const scored = t.sentences.map((s) => ({ s, p: /ping|survey/i.test(s.raw) ? 0.9 : 0.1 }));
  const items = buildActionItems(t, scored, 0.5, names);
  const ping = items.find((a) => /ping bruno/i.test(a.item));
  assert.equal(ping?.owner, 'Hana Berg', JSON.stringify(items));
  const survey = items.find((a) => /survey/i.test(a.item));
  assert.equal(survey?.owner, 'all', JSON.stringify(items));
});

test('a task said without a frame reads as an imperative: no opening filler, no vocative of its owner, no bare "I"/"you"', () => {
  const t = prepareTranscript(
    meeting([
      ['Hana Berg', 'Okay, recap. Tom, scorecard today. Me, runbook by Wednesday.'],
      ['Tom Varga', 'And I do the vendor call on Thursday.'],
      ['Hana Berg', 'Jonas, you send the survey to Sara by Friday.'],
      ['Jonas Ek', 'Sure.'],
    ]),
  );
  const names = { people: ['Hana Berg', 'Tom Varga', 'Jonas Ek', 'Sara'] };
  const scored = t.sentences.map((s) => ({ s, p: /scorecard|runbook|vendor|survey/i.test(s.raw) ? 0.9 : 0.1 }));
  const items = buildActionItems(t, scored, 0.5, names);
  const wording = items.map((a) => `${a.owner}: ${a.item}`);
  assert.ok(wording.includes('Tom Varga: Scorecard today'), JSON.stringify(wording));
  assert.ok(wording.includes('Hana Berg: Runbook by Wednesday'), JSON.stringify(wording));
  assert.ok(wording.includes('Tom Varga: Do the vendor call on Thursday'), JSON.stringify(wording));
  assert.ok(wording.some((w) => /^Jonas Ek: Send the survey to Sara by Friday$/.test(w)), JSON.stringify(wording));
});

test('a bare "Agreed." after a proposal in the same turn settles it', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Hana Berg', 'If the strings get longer, do we shrink the font or fix the layouts?'],
      ['Sara Lind', 'Please do not shrink the font, the users are older and it is already small.'],
      ['Hana Berg', 'Okay, so no font shrinking. We fix the layouts for the longer strings. Agreed.'],
      ['Jonas Ek', 'Next item is the pilot schedule.'],
    ]),
  );
  assert.ok(kp.decisionDetails.some((d) => /fix the layouts/i.test(d.text) && d.evidence.some((e) => e.segmentIndex === 2)), JSON.stringify(kp.decisions));
});

test('the person a task is addressed to does not own it while anyone else could; "thank you" stays', async () => {
  const w = new Float32Array(8);
  w[1] = 2;
  w[2] = 1;
  const cands = [
    { owner: 'Lorraine Fitch', x: [1] },
    { owner: 'Mei Zhou', x: [2] },
  ];
  assert.equal(pickOwner(w, cands), 'Lorraine Fitch');
  assert.equal(pickOwner(w, cands, 'Reach out to Lorraine this week'), 'Mei Zhou');
  assert.equal(pickOwner(w, cands, "Review Lorraine's draft"), 'Lorraine Fitch');
  assert.equal(pickOwner(w, [cands[0]], 'Reach out to Lorraine this week'), 'Lorraine Fitch', 'the only candidate stays');
  const t = prepareTranscript(
    meeting([
      ['Hana Berg', 'Sara, as a thank you, we send you a gift card today.'],
      ['Sara Lind', 'Oh, lovely.'],
    ]),
  );
  const items = buildActionItems(t, t.sentences.map((s) => ({ s, p: 0.9 })), 0.5, { people: ['Hana Berg', 'Sara Lind'] });
  assert.ok(items.every((a) => !/thank Sara/i.test(a.item)), JSON.stringify(items.map((a) => a.item)));
});

test('a task due "before" an event the meeting dates elsewhere is due on that date', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Rosa Linde', 'The launch is on Monday, May 18, so everything has to be live by then.'],
      ['Tariq Osei', 'I will set up the shop account before launch.'],
      ['Rosa Linde', 'Great. Mei, can you write the press note ahead of the demo? The demo is Thursday the fourteenth.'],
      ['Mei Tanaka', 'Sure, I will write the press note.'],
    ]),
  );
  const shop = kp.actionItems.find((a) => /shop account/i.test(a.item));
  assert.ok(shop, JSON.stringify(kp.actionItems));
  assert.equal(shop.dueDate, '2026-05-18', JSON.stringify(shop));
  const note = kp.actionItems.find((a) => /press note/i.test(a.item));
  assert.ok(note, JSON.stringify(kp.actionItems));
  assert.equal(note.dueDate, '2026-05-14', JSON.stringify(note));
});

test('a task claimed by naming it ("the shop account setup, that\'s me") is worded as a task', () => {
  assert.equal(taskWording("And the TikTok Shop account setup, that's me.", 'Thiago Almeida', null, 'Thiago Almeida'), 'Handle the TikTok Shop account setup');
  assert.equal(taskWording("The firmware build, that one's on Priya.", 'Rohit Deshpande', null, 'Priya Nair'), 'Handle the firmware build');
  // "That's me" after a pronoun names nothing to handle.
  assert.notEqual(taskWording("That, that's me.", 'Rohit Deshpande', null, 'Rohit Deshpande'), 'Handle that');
});

test('a report of how things are or were is not a task; a commitment or a named deliverable is', () => {
  for (const report of ['We lost the last candidate in January', 'The packet goes out October thirteenth', "I've added that to the escalation notes", 'The freezer at the pantry, the one that died last Tuesday', 'A calendar invite is on its way to Farah']) {
    assert.equal(readsAsReport(report), true, report);
  }
  for (const task of ['Send the exception to Hamish today', 'We need to fix the export', 'The key visual and three video cut-downs', 'The revised budget by Friday', "I'll send the deck", 'Publish the postmortem doc tomorrow']) {
    assert.equal(readsAsReport(task), false, task);
  }
});

test('a sentence reporting the past beside a task does not become an action item', async () => {
  const r = await engine.keypoints(
    meeting([
      ['Dana Cruz', 'Hiring update. We lost the last candidate in January to a competing offer.'],
      ['Ivo Marsh', "I'll send the new job description to the recruiter by Friday."],
      ['Dana Cruz', 'Great, thanks Ivo.'],
    ]),
  );
  assert.deepEqual(r.actionItems.map((a) => a.owner), ['Ivo Marsh']);
  assert.match(r.actionItems[0].item, /^Send the new job description to the recruiter/);
});

test('"I\'m filing the claim tomorrow" is the speaker\'s task, worded as an imperative; "I\'m thinking…" is not', async () => {
  assert.equal(taskWording("We're insured, I'm filing the claim tomorrow.", 'Gloria Ruiz', null, 'Gloria Ruiz'), 'File the claim tomorrow');
  assert.equal(taskWording("I'm thinking we should move it.", 'Gloria Ruiz', null, 'Gloria Ruiz'), "I'm thinking we should move it");
  const r = await engine.keypoints(
    meeting([
      ['Gloria Ruiz', 'The freezer died over the weekend. We are insured, and I am filing the claim tomorrow.'],
      ['Omar Haddad', 'Good. Let us know what they say.'],
      ['Lena Fisch', 'Thanks Gloria.'],
    ]),
  );
  const claim = r.actionItems.find((a) => /claim/i.test(a.item));
  assert.ok(claim, JSON.stringify(r.actionItems));
  assert.equal(claim.owner, 'Gloria Ruiz');
  assert.match(claim.item, /^File the claim tomorrow/);
});

test('a role named with a hesitation ("the Industrial uh Designer has to…") is a candidate owner; anyone in a small meeting may be the "you"', async () => {
  const { ownerSignals } = await import('./owner.js');
  const t = prepareTranscript(
    meeting([
      ['Industrial Designer', 'The case could be rubber.'],
      ['Project Manager', 'Okay, next meeting starts in thirty minutes. The Industrial uh Designer has to look at the working design.'],
      ['Marketing', 'And me?'],
      ['Project Manager', "You're going to do some trend watching."],
      ['User Interface', 'Okay.'],
    ]),
  );
  const names = { people: [] as string[] };
  const at = (seg: number) => t.sentences.find((s) => s.seg === seg)!;
  const role = ownerSignals(t, t.sentences.find((s) => /Industrial uh/.test(s.raw))!, names);
  assert.ok(role.get('Industrial Designer')?.includes('roleSubject'), JSON.stringify([...role]));
  const you = ownerSignals(t, at(3), names);
  for (const who of ['Marketing', 'Industrial Designer', 'User Interface']) assert.ok(you.has(who), `${who} is a candidate: ${JSON.stringify([...you.keys()])}`);
  assert.ok(you.get('Industrial Designer')?.includes('room'));
});

test('an owner candidate learns what kind of task a role takes only from labels made of ordinary words', async () => {
  const { ownerCandidates } = await import('./owner-model.js');
  const { hashFeature } = await import('./features.js');
  const { OWNER_BITS } = await import('./owner-model.js');
  const lines: Array<[string, string]> = [
    ['Project Manager', 'We need the marketing research on trends before the next meeting.'],
    ['Marketing', 'I can look at the trend reports.'],
    ['Dana Whitfield', "You're going to do some trend watching, Marketing."],
    ['Marketing', 'Sure.'],
  ];
  const t = prepareTranscript(meeting(lines));
  const s = t.sentences.find((x) => x.seg === 2)!;
  const cands = ownerCandidates(t, [s], { people: [] }, 'Do some trend watching');
  const lex = (who: string, word: string) => cands.find((c) => c.owner === who)!.x.includes(hashFeature('o:', `lex:trend|${word}`) & ((1 << OWNER_BITS) - 1));
  assert.ok(lex('Marketing', 'marketing'), 'a role label written in lower case in the talk pairs with the task words');
  assert.ok(cands.some((c) => c.owner === 'Project Manager'));
  assert.ok(!lex('Project Manager', 'manager'), 'a label word never said in lower case does not');
});

test('due dates come from the task, the day just said, or the answer to a request; never from what others say next about their own work', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Rosa Linde', 'The vendor deck is still missing the pricing slide.'],
      ['Tariq Osei', "I'll send the vendor deck to legal today."],
      ['Mei Tanaka', 'When can you get the translation export done?'],
      ['Tariq Osei', 'Wednesday, I think.'],
      ['Mei Tanaka', "Okay, so the export lands on Wednesday then. And I'll send the export to the agency the same day."],
      ['Rosa Linde', "I'll put the new rule in the deploy docs."],
      ['Tariq Osei', 'Separate thing, I can fix the alert label tomorrow.'],
      ['Rosa Linde', 'Mei, could you send us photos of the broken scanner screens?'],
      ['Tariq Osei', 'Oh, I have seen those.'],
      ['Mei Tanaka', 'Sure. Tomorrow is packed for me. Monday at the latest.'],
      ['Rosa Linde', 'To recap: Tariq sends the vendor deck to legal, and Rosa updates the deploy docs.'],
      ['Mei Tanaka', 'Friday works for the retro, by the way.'],
    ]),
  );
  const due = (re: RegExp) => {
    const a = kp.actionItems.find((x) => re.test(x.item));
    assert.ok(a, `${re} among ${JSON.stringify(kp.actionItems.map((x) => x.item))}`);
    return a.dueDate;
  };
  assert.equal(due(/vendor deck/i), '2026-05-04', 'the date said with the task stays through the recap');
  assert.equal(due(/export to the agency/i), '2026-05-06', '"the same day" is the day just said');
  assert.equal(due(/deploy docs/i), null, "another speaker's 'tomorrow' is their own task's date");
  assert.equal(due(/photos/i), '2026-05-11', "the reply's deadline ('Monday at the latest')");
});

test('a nickname the conversation teaches ("Bia, tell the mall…" answered by Beatriz) names that person; fillers never do', async () => {
  const { resolvePerson } = await import('./owner.js');
  const t = prepareTranscript(
    meeting([
      ['Camila Rocha', "Let's park the pop up until the pre sale numbers. Bia, tell the mall we'll answer after the launch."],
      ['Beatriz Lima', "Okay, I'll tell them."],
      ['Camila Rocha', 'Recap: Bia confirms with the supplier tomorrow.'],
      ['Thiago Almeida', 'Um, one more thing.'],
      ['Camila Rocha', 'Um, yes?'],
      ['Thiago Almeida', 'Sure, the ads start later.'],
    ]),
  );
  assert.equal(resolvePerson('Bia', t, { people: [] }), 'Beatriz Lima');
  assert.equal(resolvePerson('Um', t, { people: [] }), null);
  const kp = await engine.keypoints(t.conv);
  const mall = kp.actionItems.find((a) => /mall|answer after the launch/i.test(a.item));
  assert.equal(mall?.owner, 'Beatriz Lima', JSON.stringify(kp.actionItems));
});

test('a reply that only says when ("EOD tomorrow", "By Friday, yes") is no task; an offer put as a question is no decision; a motion after "Then" is what was voted on', async () => {
  const kp = await engine.keypoints(
    meeting([
      ['Marco Rossi', 'Can you send me the build number you want to demo from? By end of day tomorrow.'],
      ['Tariq Osei', 'Yep, EOD tomorrow.'],
      ['Rosa Linde', 'Would you like Mei to send the enterprise quote ahead of the call?'],
      ['Tariq Osei', 'Yes please.'],
      ['Rosa Linde', "Okay. Then I'll entertain a motion to recommend the revised budget to the full board."],
      ['Mei Tanaka', 'So moved.'],
      ['Tariq Osei', 'Second.'],
      ['Rosa Linde', 'All in favour? Motion carries.'],
    ]),
  );
  assert.ok(!kp.actionItems.some((a) => /^(?:yep,?\s*)?eod tomorrow$/i.test(a.item.trim())), JSON.stringify(kp.actionItems));
  assert.ok(kp.actionItems.some((a) => /build number/i.test(a.item)), JSON.stringify(kp.actionItems));
  assert.ok(!kp.decisions.some((d) => /^would you like/i.test(d)), JSON.stringify(kp.decisions));
  assert.ok(kp.decisions.some((d) => /^Recommend the revised budget/.test(d)), JSON.stringify(kp.decisions));
});
