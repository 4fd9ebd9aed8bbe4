import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../domain/errors.js';
import { feedbackResultSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { computeMetrics, pickUser } from './feedback-metrics.js';
import { categoryScores, languageCounts } from './feedback-scores.js';
import { assertEvidence } from './testing/assertions.js';
import { coachingTranscript } from './testing/conversations.js';
import { prepareTranscript } from './transcript.js';

const engine = createLocalEngine();

test('metrics count interruptions, questions, fillers and talk share on a constructed transcript', () => {
  const t = prepareTranscript(coachingTranscript());
  const m = computeMetrics(t, 'Dana');
  // Segments 2 and 6 cut Eli off; "Yeah." after a cut-off turn is a backchannel, not an interruption.
  assert.equal(m.interruptions, 2);
  assert.deepEqual(m.interruptionSegs, [2, 6]);
  assert.equal(m.questionsAsked, 3);
  // Dana's turns: 10 + 7 + 11 + 10 + 12 + 6 + 1 words.
  const userWords = 57;
  assert.equal(m.speakers.find((s) => s.speaker === 'Dana')?.words, userWords);
  assert.equal(m.talkTimeShare, Math.round((userWords / t.totalWords) * 1000) / 1000);
  // "Um" and "like" (set off by commas) are the only fillers: 2 over 57 words.
  assert.equal(m.fillerRate, Math.round((2 / userWords) * 1000) / 10);
  assert.equal(m.longestMonologueWords, 12);
  assert.ok(m.wordsPerMinute !== null && m.wordsPerMinute > 100, 'pace comes from timestamps');
  assert.equal(computeMetrics(prepareTranscript(coachingTranscript(false)), 'Dana').wordsPerMinute, null);
  assert.equal(m.talkTimeline.reduce((a, b) => a + b.words, 0), t.totalWords);
});

test('the user is the requested speaker (case-insensitive) or whoever spoke most', () => {
  const t = prepareTranscript(coachingTranscript());
  assert.equal(pickUser(t, 'eLi'), 'Eli');
  assert.equal(pickUser(t, 'nobody'), 'Dana');
  assert.equal(pickUser(t), 'Dana');
});

test('scores follow the documented formulas', () => {
  const t = prepareTranscript(coachingTranscript());
  const m = computeMetrics(t, 'Dana');
  const s = categoryScores(m, languageCounts(t, 'Dana'), t.speakers.length);
  // listening = 9 − min(4, 10·2/7) − min(3, 8·max(0, share − 1/3)) + min(1.5, 3·3/7)
  const expected = 9 - Math.min(4, 20 / 7) - Math.min(3, 8 * Math.max(0, m.talkTimeShare - 1 / 3)) + Math.min(1.5, 9 / 7);
  assert.equal(s.listening, Math.round(expected * 10) / 10);
  // More interruptions can only lower listening.
  const worse = categoryScores({ ...m, interruptions: 5 }, languageCounts(t, 'Dana'), 3);
  assert.ok(worse.listening < s.listening);
});

test('feedback for the named user: valid, grounded in their own words, with a top priority', async () => {
  const c = coachingTranscript();
  const f = await engine.feedback(c, { userSpeakerName: 'dana' });
  feedbackResultSchema.parse(f);
  assert.equal(f.userSpeakerName, 'Dana');
  assert.equal(f.metrics.interruptions, 2);
  assert.equal(f.overallScore, Math.round(f.overallScore * 10) / 10);
  const danaSegments = new Set(c.segments.filter((s) => s.speaker === 'Dana').map((s) => s.index));
  for (const item of [...f.strengths, ...f.growthAreas]) {
    assertEvidence(c, item.evidence, item.category);
    assert.ok(item.evidence.every((e) => danaSegments.has(e.segmentIndex)), `${item.category} quotes Dana`);
    assert.match(item.timestamp, /^\d\d:\d\d$/);
  }
  assert.ok(f.growthAreas.some((g) => g.category === 'listening'), 'two interruptions make listening a growth area');
  assert.equal(f.topPriority.quote, f.growthAreas[0].quote);
  assert.ok(f.topPriority.alternative.length > 0 && f.topPriority.alternative !== f.topPriority.quote);
  assert.ok(f.actionPlan.length >= 2);
  assert.equal(f.strengths.find((s) => s.timestamp)?.timestamp.slice(0, 2), '09', 'timed transcripts use the wall clock');
});

test('untimed transcripts get elapsed MM:SS estimated at 150 wpm', async () => {
  const f = await engine.feedback(coachingTranscript(false), { userSpeakerName: 'Dana' });
  const g = f.growthAreas.find((x) => x.category === 'listening');
  assert.ok(g);
  // Segment 2 starts after 10 + 15 words: 25 words at 2.5 words per second = 10 s.
  assert.equal(g.timestamp, '00:10');
});

test('fewer than 10 segments is a validation error', async () => {
  const c = coachingTranscript();
  await assert.rejects(engine.feedback({ ...c, segments: c.segments.slice(0, 9) }, {}), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'validation_error');
    assert.equal(err.message, 'Feedback needs at least 10 transcript segments');
    return true;
  });
});

test('overlapping timestamps count as an interruption even when the previous turn looks finished', () => {
  const segments = [
    ['Eli', '2026-03-18T09:00:00Z', 'The quarterly numbers are in and they look better than we expected for the region.'],
    ['Dana', '2026-03-18T09:00:01Z', 'Great, send them over.'],
    ['Eli', '2026-03-18T09:00:10Z', 'Sure, I will do that right after this call.'],
    ['Dana', '2026-03-18T09:00:15Z', 'Thanks.'],
  ].map(([speaker, timestamp, text], index) => ({ index, speaker, timestamp, text }));
  const t = prepareTranscript({ id: 'o', title: null, kind: 'meeting', startTime: null, segments });
  // Eli's 16 words need ~4 s even at a fast 220 wpm; Dana started after 1 s. Segment 3 started
  // 5 s after a 9-word turn, which is no overlap.
  assert.deepEqual(computeMetrics(t, 'Dana').interruptionSegs, [1]);
});
