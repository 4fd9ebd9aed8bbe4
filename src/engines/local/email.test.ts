import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailDraftSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { planningMeeting } from './testing/planning-meeting.js';
import type { EngineConversation } from '../types.js';

const engine = createLocalEngine();

test('the three tones read differently and all carry the action items', async () => {
  const c = planningMeeting();
  const [pro, casual, concise] = await Promise.all(
    (['professional', 'casual', 'concise'] as const).map((tone) => engine.email(c, { recipientName: 'Dana', tone })),
  );
  for (const e of [pro, casual, concise]) {
    emailDraftSchema.parse(e);
    assert.match(e.subject, /Q2 Planning/);
    assert.ok(e.actionItems.includes('Bob: Send the updated roadmap by Friday (due 2026-03-20)'), JSON.stringify(e.actionItems));
    assert.ok(e.keyPoints.length > 0);
  }
  assert.match(pro.body, /^Dear Dana,/);
  assert.match(pro.body, /Kind regards$/);
  assert.match(casual.body, /^Hey Dana!/);
  assert.match(casual.body, /Cheers$/);
  assert.match(concise.body, /^Dana —/);
  assert.ok(concise.body.split('\n').filter((l) => l.startsWith('• ')).length >= 3, 'concise is bullets');
  assert.ok(concise.body.length < casual.body.length && casual.body.length < pro.body.length, 'concise < casual < professional');
  assert.ok(concise.keyPoints.every((p) => p.split(/\s+/).length <= 13));
  assert.match(pro.body, /March 18/);
});

test('without a recipient the greeting is generic', async () => {
  const e = await engine.email(planningMeeting(), { tone: 'professional' });
  assert.match(e.body, /^Dear all,/);
});

// A handover call with no decision, where others speak in the first person.
const handover = (): EngineConversation => ({
  id: 'h',
  title: 'Billing handover',
  kind: 'meeting',
  startTime: '2026-03-18T14:00:00Z',
  segments: [
    ['Aisha', "I've finished the handover document for the billing service and I'll send it to Marco by Friday."],
    ['Marco', "Thanks. I'll write the billing runbook from the handover document by March 27."],
    ['Aisha', 'Priya will review the alerting thresholds for the billing service before Monday.'],
    ['Priya', 'Sure. Our on-call rotation for billing starts on April 6, so the runbook has to be ready before then.'],
    ['Marco', 'Makes sense. I will also check the invoice export logs tomorrow.'],
  ].map(([speaker, text], index) => ({ index, text, speaker, timestamp: null })),
});

test('an email lists every action item with owner and due date, the recipient’s own tasks first', async () => {
  const c = handover();
  const kp = await engine.keypoints(c);
  assert.ok(kp.actionItems.length >= 3, JSON.stringify(kp.actionItems.map((a) => [a.owner, a.item, a.dueDate])));
  for (const tone of ['professional', 'casual', 'concise'] as const) {
    const e = await engine.email(c, { recipientName: 'Marco', tone });
    // Every action item is in the structured list and in the body, with its owner and due date.
    assert.equal(e.actionItems.length, kp.actionItems.length, tone);
    for (const a of kp.actionItems) {
      const line = e.actionItems.find((x) => x.includes(a.item.replace(/[.]$/, '')));
      assert.ok(line, `${tone}: ${a.item} in ${JSON.stringify(e.actionItems)}`);
      if (a.owner) assert.ok(line.startsWith(`${a.owner}: `), line);
      if (a.dueDate) assert.ok(line.includes(`(due ${a.dueDate})`), line);
      assert.ok(e.body.toLowerCase().includes(a.item.replace(/[.]$/, '').toLowerCase().split(' ').slice(1, 4).join(' ')), `${tone} body has ${a.item}`);
    }
    // Marco's own tasks come first, in the list and in the body (before anyone else's).
    const mine = e.actionItems.filter((x) => x.startsWith('Marco: '));
    assert.ok(mine.length >= 2, JSON.stringify(e.actionItems));
    assert.deepEqual(e.actionItems.slice(0, mine.length), mine);
    const body = e.body.toLowerCase();
    assert.ok(body.indexOf('write the billing runbook') < body.indexOf('priya will review'), e.body);
    // No pasted first-person quotes; the email states only the decisions the key points hold
    // (none invented: "Approved by the billing team" when nothing was approved).
    for (const line of e.body.split('\n').filter((l) => /^[-•]/.test(l))) assert.ok(!/\b(?:I|I'll|I've|my|we|our)\b/.test(line), `${tone}: "${line}"`);
    assert.ok((e.body.match(/The team (?:decided|agreed)/g) ?? []).length <= kp.decisions.length, `${tone}: no invented decision\n${e.body}`);
    if (!kp.decisions.length) assert.ok(!/decided|decisions/i.test(e.body), `${tone}: no decisions section\n${e.body}`);
    for (const d of kp.decisions) {
      const tail = d.replace(/[.]$/, '').split(/\s+/).slice(-3).join(' ').toLowerCase();
      assert.ok(e.body.toLowerCase().includes(tail), `${tone}: decision "${d}" in\n${e.body}`);
    }
  }
  const pro = await engine.email(c, { recipientName: 'Marco', tone: 'professional' });
  assert.match(pro.body, /Your action items:\n- Write the billing runbook from the handover document by March 27/);
  // April 6 is in the email, as an upcoming date or as the day something is due.
  assert.match(pro.body, /Upcoming dates:\n- Monday, April 6: |\(April 6\)|by Monday, April 6/);
  // A task that names its day already is not dated twice.
  assert.ok(!/March 27 \(March 27\)/.test(pro.body), pro.body);
});

test('decisions that were made are written as sentences; the list is not cut short', async () => {
  const e = await engine.email(planningMeeting(), { recipientName: 'Bob', tone: 'professional' });
  assert.match(e.body, /Decisions:\n- The team decided to launch a discounted annual starter plan in April\.\n- The team decided to go with a fifteen percent discount\./);
  assert.match(e.body, /Your action items:\n- Send the updated roadmap by Friday \(March 20\)\.\n- Review the launch budget before Monday \(March 23\)\./);
  assert.ok(e.body.indexOf('Your action items:') < e.body.indexOf('Key points:'));
  assert.match(e.body, /Dave will fix the invoice export asap\./);
});
