import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPayload, eventDataSchemas, isWebhookEvent, parsePayload, WEBHOOK_EVENTS, type WebhookEvent } from './events.js';

const NOW = Date.UTC(2026, 2, 19, 14, 30, 0);

const samples: { [E in WebhookEvent]: Record<string, unknown> } = {
  'conversation.created': { conversationId: 'sess_1' },
  'conversation.updated': { conversationId: 'sess_1', title: 'Renamed', changedFields: ['title'] },
  'conversation.keypoints.ready': { conversationId: 'sess_1', title: 'Q1' },
  'conversation.summary.ready': { conversationId: 'sess_1', title: 'Q1', sectionCount: 4 },
  'conversation.action_items.ready': { conversationId: 'sess_1', actionItemCount: 0 },
  'conversation.feedback.ready': { conversationId: 'sess_1', overallScore: 8.5 },
  'conversation.shared': { conversationId: 'sess_1', shareUrl: 'https://colloquy.example/shared/abc123' },
  'conversation.deleted': { conversationId: 'sess_1' },
  'transcript.ready': { conversationId: 'sess_1', segmentCount: 128 },
  'transcript.failed': { conversationId: 'sess_1', error: 'audio unreadable' },
  'action_item.updated': {
    actionItemId: 'act_1', conversationId: 'sess_1', item: 'Send the handover doc', status: 'done', owner: 'Priya', dueDate: '2026-03-20',
    suggestedStatus: null, mentions: [{ conversationId: 'sess_2', segmentIndex: 4 }], changedFields: ['status', 'suggestedStatus'],
  },
  'webhook.test': { message: 'Test event' },
};

test('the events of the Convo reference in its order, with Colloquy\'s additions before webhook.test', () => {
  assert.deepEqual([...WEBHOOK_EVENTS], [
    'conversation.created', 'conversation.updated', 'conversation.keypoints.ready', 'conversation.summary.ready',
    'conversation.action_items.ready', 'conversation.feedback.ready', 'conversation.shared', 'conversation.deleted',
    'transcript.ready', 'transcript.failed', 'action_item.updated', 'webhook.test',
  ]);
  assert.deepEqual(Object.keys(eventDataSchemas).sort(), [...WEBHOOK_EVENTS].sort());
  assert.equal(isWebhookEvent('transcript.ready'), true);
  assert.equal(isWebhookEvent('transcript.exploded'), false);
  assert.equal(isWebhookEvent(42), false);
});

test('buildPayload produces the seed example byte for byte', () => {
  const body = buildPayload('conversation.keypoints.ready', { conversationId: 'sess_a1b2c3', title: 'Q1 Planning Review' }, new Date(NOW));
  assert.equal(body, '{"event":"conversation.keypoints.ready","data":{"conversationId":"sess_a1b2c3","title":"Q1 Planning Review"},"timestamp":"2026-03-19T14:30:00.000Z"}');
  assert.equal(buildPayload('conversation.created', { conversationId: 'sess_x' }, NOW), '{"event":"conversation.created","data":{"conversationId":"sess_x"},"timestamp":"2026-03-19T14:30:00.000Z"}');
});

test('every event builds and parses back with its documented fields', () => {
  for (const event of WEBHOOK_EVENTS) {
    const body = buildPayload(event, samples[event] as never, NOW);
    assert.deepEqual(JSON.parse(body), { event, data: samples[event], timestamp: '2026-03-19T14:30:00.000Z' });
    assert.deepEqual(parsePayload(body), { event, data: samples[event], timestamp: '2026-03-19T14:30:00.000Z' });
  }
  // changedFields is Colloquy's optional addition; the seed's two fields alone are enough.
  buildPayload('conversation.updated', { conversationId: 'sess_1', title: 'T' }, NOW);
});

test('buildPayload refuses wrong, missing and undocumented fields', () => {
  const bad: Array<[WebhookEvent, unknown, RegExp]> = [
    ['conversation.created', {}, /conversationId/],
    ['conversation.created', { conversationId: '' }, /conversationId/],
    ['conversation.created', { conversationId: 'sess_1', title: 'extra' }, /title|Unrecognized/i],
    ['conversation.summary.ready', { conversationId: 'sess_1', title: 'T', sectionCount: 1.5 }, /sectionCount/],
    ['conversation.action_items.ready', { conversationId: 'sess_1', actionItemCount: -1 }, /actionItemCount/],
    ['conversation.feedback.ready', { conversationId: 'sess_1', overallScore: 11 }, /overallScore/],
    ['action_item.updated', { ...samples['action_item.updated'], status: 'closed' }, /status/],
    ['conversation.shared', { conversationId: 'sess_1', shareUrl: 'not a url' }, /shareUrl/],
    ['transcript.ready', { conversationId: 'sess_1', segmentCount: '3' }, /segmentCount/],
    ['webhook.test', {}, /message/],
  ];
  for (const [event, data, message] of bad) {
    assert.throws(() => buildPayload(event, data as never, NOW), message, `${event} ${JSON.stringify(data)}`);
  }
  assert.throws(() => buildPayload('nope' as WebhookEvent, {} as never, NOW), /unknown webhook event/);
  assert.throws(() => buildPayload('webhook.test', { message: 'x' }, Number.NaN), /invalid timestamp/);
});

test('parsePayload tolerates unknown keys, as clients are promised', () => {
  const body = JSON.stringify({ event: 'transcript.ready', data: { conversationId: 'sess_1', segmentCount: 3, language: 'en' }, timestamp: '2026-03-19T14:30:00.000Z', apiVersion: 1 });
  assert.deepEqual(parsePayload(body).data, { conversationId: 'sess_1', segmentCount: 3, language: 'en' });
  assert.throws(() => parsePayload('{"event":"nope","data":{},"timestamp":"2026-03-19T14:30:00.000Z"}'));
  assert.throws(() => parsePayload('{"event":"webhook.test","data":{"message":"x"},"timestamp":"yesterday"}'));
});
