import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.js';
import { contentMessageSchema, parseContent, toContentMessage } from './content.js';

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail('expected an error');
}

const pairs = (content: string, kind?: 'meeting' | 'chat') =>
  parseContent(content, kind).messages.map((m) => [m.role, m.speaker, m.text]);

test('Converra example: User/Assistant labels', () => {
  const parsed = parseContent('User: Hello, I need help\nAssistant: Hi! How can I help you today?');
  assert.equal(parsed.format, 'labelled');
  assert.deepEqual(parsed.messages, [
    { role: 'user', speaker: 'user', text: 'Hello, I need help' },
    { role: 'assistant', speaker: 'assistant', text: 'Hi! How can I help you today?' },
  ]);
});

for (const [user, assistant] of [
  ['User', 'Assistant'],
  ['Human', 'AI'],
  ['Customer', 'Agent'],
  ['user', 'assistant'],
  ['HUMAN', 'ai'],
  ['customer', 'AGENT'],
]) {
  test(`role labels ${user}/${assistant} map to user/assistant (chat and auto)`, () => {
    const content = `${user}: Where is my order?\n${assistant}: Let me check.\n${user}: Thanks`;
    const expected = [
      ['user', 'user', 'Where is my order?'],
      ['assistant', 'assistant', 'Let me check.'],
      ['user', 'user', 'Thanks'],
    ];
    assert.deepEqual(pairs(content, 'chat'), expected);
    assert.deepEqual(pairs(content), expected);
  });
}

test('System: and Tool: labels, CRLF and BOM', () => {
  assert.deepEqual(pairs('\uFEFFSystem: You are a support bot.\r\nUser: hi\r\nTool: {"ok":true}\r\nAssistant: done', 'chat'), [
    ['system', 'system', 'You are a support bot.'],
    ['user', 'user', 'hi'],
    ['tool', 'tool', '{"ok":true}'],
    ['assistant', 'assistant', 'done'],
  ]);
});

test('chat: unlabelled lines continue the previous turn, blank lines are ignored, "Note:" is not a label', () => {
  const content = 'User: I have two questions.\n\n1. Refunds\n2. Shipping\nAssistant: Sure.\nNote: refunds take 5 days.\nSee https://example.com/help for more.\n\nUser: ok';
  assert.deepEqual(pairs(content, 'chat'), [
    ['user', 'user', 'I have two questions.\n1. Refunds\n2. Shipping'],
    ['assistant', 'assistant', 'Sure.\nNote: refunds take 5 days.\nSee https://example.com/help for more.'],
    ['user', 'user', 'ok'],
  ]);
});

test('chat: a name label is not a role, so it stays in the text', () => {
  assert.deepEqual(pairs('User: hi\nAlice: not a role\nAssistant: hello', 'chat'), [
    ['user', 'user', 'hi\nAlice: not a role'],
    ['assistant', 'assistant', 'hello'],
  ]);
});

test('meeting: any Name: label is a speaker; role is null; continuation lines join', () => {
  const content = [
    'Alice Chen: Morning all, quick agenda today.',
    'Project Manager: I have the budget numbers',
    'and the revised timeline.',
    'Note: the timeline assumes two extra engineers.',
    'So the plan is: ship in May',
    '',
    "Dr. O'Brien: Sounds fine.",
    'Speaker 2: Agreed.',
    'Jean-Luc van der Berg: One question — see https://example.com/doc: page 3.',
  ].join('\n');
  assert.deepEqual(pairs(content, 'meeting'), [
    [null, 'Alice Chen', 'Morning all, quick agenda today.'],
    [null, 'Project Manager', 'I have the budget numbers and the revised timeline. Note: the timeline assumes two extra engineers. So the plan is: ship in May'],
    [null, "Dr. O'Brien", 'Sounds fine.'],
    [null, 'Speaker 2', 'Agreed.'],
    [null, 'Jean-Luc van der Berg', 'One question — see https://example.com/doc: page 3.'],
  ]);
});

test('meeting: role words are kept as speaker names', () => {
  assert.deepEqual(pairs('Customer: the invoice is wrong\nAgent: I will fix it', 'meeting'), [
    [null, 'Customer', 'the invoice is wrong'],
    [null, 'Agent', 'I will fix it'],
  ]);
});

test('meeting: a clock before the speaker is tolerated', () => {
  assert.deepEqual(pairs('[00:00:05] Alice: hi\n00:01:10 Bob Stone: hello', 'meeting'), [
    [null, 'Alice', 'hi'],
    [null, 'Bob Stone', 'hello'],
  ]);
});

test('labels: too long, too many words, digits only, or no space after the colon are not labels', () => {
  const content = [
    'Alice: start',
    'This Label Has Five Words: no',
    'Averyveryverylongnamethatgoesonandonforeverx: no',
    '12: no',
    '10:30 we meet',
    'Bob:no-space',
  ].join('\n');
  assert.deepEqual(pairs(content, 'meeting'), [
    [null, 'Alice', 'start This Label Has Five Words: no Averyveryverylongnamethatgoesonandonforeverx: no 12: no 10:30 we meet Bob:no-space'],
  ]);
});

test('text without any label: one segment, Unknown for meetings, user for chats', () => {
  const text = 'We talked about pricing.\n\nThen about hiring.';
  assert.deepEqual(parseContent(text, 'meeting'), {
    messages: [{ role: null, speaker: 'Unknown', text: 'We talked about pricing. Then about hiring.' }],
    format: 'plain',
  });
  assert.deepEqual(parseContent(text, 'chat'), {
    messages: [{ role: 'user', speaker: 'user', text: 'We talked about pricing.\nThen about hiring.' }],
    format: 'plain',
  });
  assert.equal(parseContent(text).messages[0]!.role, 'user');
});

test('auto kind: role labels win over name-like lines, otherwise names are speakers', () => {
  assert.deepEqual(pairs('User: hi\nNote: keep this\nAssistant: ok'), [
    ['user', 'user', 'hi\nNote: keep this'],
    ['assistant', 'assistant', 'ok'],
  ]);
  assert.deepEqual(pairs('Alice: hi\nBob: hey'), [
    [null, 'Alice', 'hi'],
    [null, 'Bob', 'hey'],
  ]);
});

test('text before the first label becomes its own turn; empty turns are dropped', () => {
  assert.deepEqual(pairs('Transcript follows\nUser: hi\nAssistant:\nUser: anyone?', 'chat'), [
    ['user', 'user', 'Transcript follows'],
    ['user', 'user', 'hi'],
    ['user', 'user', 'anyone?'],
  ]);
  assert.deepEqual(pairs('Assistant:\nhere is a list:\n- one\n- two', 'chat'), [['assistant', 'assistant', 'here is a list:\n- one\n- two']]);
});

test('JSON content: Converra example and full schema', () => {
  const parsed = parseContent('{"messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hi! How can I help?"}]}');
  assert.deepEqual(parsed, {
    messages: [
      { role: 'user', speaker: 'user', text: 'Hello' },
      { role: 'assistant', speaker: 'assistant', text: 'Hi! How can I help?' },
    ],
    format: 'json',
  });
  const full = parseContent(
    JSON.stringify({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?', timestamp: '2025-01-20T14:30:00+01:00', name: 'Dana' },
        {
          role: 'assistant',
          content: 'Checking.',
          model: 'gpt-4o',
          tokens: 12,
          toolCalls: [{ id: 'c1', name: 'weather' }],
          usage: { promptTokens: 30, completionTokens: 12 },
          latencyMs: 840,
          metadata: { traceId: 't1' },
          extra: 'ignored',
        },
        { role: 'tool', content: '', toolCalls: [{ id: 'c1', result: { temp: 21 } }] },
      ],
      metadata: { userId: 'u1', channel: 'web' },
    }),
    'chat',
  );
  assert.equal(full.format, 'json');
  assert.deepEqual(full.metadata, { userId: 'u1', channel: 'web' });
  assert.deepEqual(full.messages, [
    { role: 'system', speaker: 'system', text: 'Be brief.' },
    { role: 'user', speaker: 'Dana', text: 'Weather?', timestamp: '2025-01-20T13:30:00.000Z' },
    {
      role: 'assistant',
      speaker: 'assistant',
      text: 'Checking.',
      model: 'gpt-4o',
      tokens: 12,
      toolCalls: [{ id: 'c1', name: 'weather' }],
      usage: { promptTokens: 30, completionTokens: 12 },
      latencyMs: 840,
      metadata: { traceId: 't1' },
    },
    { role: 'tool', speaker: 'tool', text: '', toolCalls: [{ id: 'c1', result: { temp: 21 } }] },
  ]);
});

test('JSON content: a bare array of messages is accepted', () => {
  assert.deepEqual(pairs('[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]'), [
    ['user', 'user', 'a'],
    ['assistant', 'assistant', 'b'],
  ]);
});

test('JSON content: per-field details', () => {
  const error = expectAppError(
    () =>
      parseContent(
        JSON.stringify({
          messages: [
            { role: 'user', content: 'ok' },
            { role: 'user', content: '   ' },
            { role: 'user', content: 'x', timestamp: 'yesterday' },
            { role: 'bot', content: 'hi' },
            { role: 'assistant', content: 'x', tokens: -1, latencyMs: 'fast', usage: { promptTokens: 1.5 } },
          ],
          metadata: 'nope',
        }),
      ),
    'validation_error',
  );
  assert.deepEqual(Object.keys(error.details ?? {}).sort(), [
    'messages.1.content',
    'messages.2.timestamp',
    'messages.3.role',
    'messages.4.latencyMs',
    'messages.4.tokens',
    'messages.4.usage.promptTokens',
    'metadata',
  ]);
  assert.match(error.details!['messages.3.role']!, /user, assistant, system, tool/);
});

test('JSON content: missing or empty messages, wrong types', () => {
  assert.deepEqual(expectAppError(() => parseContent('{"metadata":{}}'), 'validation_error').details, { messages: 'Must be an array of messages' });
  assert.deepEqual(expectAppError(() => parseContent('{"messages":[]}'), 'validation_error').details, { messages: 'At least one message is required' });
  assert.deepEqual(expectAppError(() => parseContent('[1]'), 'validation_error').details, { 'messages.0': 'Invalid input: expected object, received number' });
  assert.ok(expectAppError(() => parseContent('{"messages": [{"role":"user","content":"a"}'), 'validation_error').details?.content?.startsWith('Invalid JSON'));
});

test('a leading "[" that is not JSON is read as text', () => {
  assert.deepEqual(pairs('[inaudible] User: hello\nAssistant: hi', 'chat'), [
    ['user', 'user', '[inaudible] User: hello'],
    ['assistant', 'assistant', 'hi'],
  ]);
});

test('empty, blank and label-only content are validation errors', () => {
  assert.deepEqual(expectAppError(() => parseContent(''), 'validation_error').details, { content: 'Required' });
  expectAppError(() => parseContent(' \n\t\n'), 'validation_error');
  expectAppError(() => parseContent('\uFEFF'), 'validation_error');
  expectAppError(() => parseContent('User:\nAssistant:', 'chat'), 'validation_error');
  expectAppError(() => parseContent(42 as unknown as string), 'validation_error');
});

test('contentMessageSchema + toContentMessage for request bodies', () => {
  const parsed = contentMessageSchema.parse({ role: 'assistant', content: 'hi', model: null, tokens: 3 });
  assert.deepEqual(toContentMessage(parsed), { role: 'assistant', speaker: 'assistant', text: 'hi', tokens: 3 });
  assert.equal(contentMessageSchema.safeParse({ role: 'user' }).success, false);
  assert.equal(contentMessageSchema.safeParse({ role: 'tool' }).success, true);
});
