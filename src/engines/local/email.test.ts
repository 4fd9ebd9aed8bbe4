import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailDraftSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { planningMeeting } from './testing/planning-meeting.js';

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
