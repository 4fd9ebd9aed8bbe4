import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.js';
import { parseContent } from './content.js';
import {
  MAX_CONTENT_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGES,
  checkContentLimits,
  checkContentSize,
  checkMessageCount,
  checkMessageSize,
} from './limits.js';

function expectTooLarge(fn: () => unknown, messagePattern: RegExp): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, 'payload_too_large');
    assert.equal(error.status, 413);
    assert.match(error.message, messagePattern);
    return error;
  }
  assert.fail('expected payload_too_large');
}

test('the limits are Converra’s: 512 KB, 500 messages, 100 KB per message', () => {
  assert.equal(MAX_CONTENT_BYTES, 524_288);
  assert.equal(MAX_MESSAGES, 500);
  assert.equal(MAX_MESSAGE_BYTES, 102_400);
});

test('content size is counted in UTF-8 bytes, exactly at the limit is fine', () => {
  checkContentSize('a'.repeat(MAX_CONTENT_BYTES));
  expectTooLarge(() => checkContentSize('a'.repeat(MAX_CONTENT_BYTES + 1)), /512 KB/);
  // 'é' is 2 bytes: 262,145 of them are 524,290 bytes although only 262,145 characters.
  expectTooLarge(() => checkContentSize('é'.repeat(MAX_CONTENT_BYTES / 2 + 1)), /512 KB content limit/);
  checkContentSize('é'.repeat(MAX_CONTENT_BYTES / 2));
});

test('message count and per-message size', () => {
  checkMessageCount(500);
  const error = expectTooLarge(() => checkMessageCount(501), /500 messages/);
  assert.deepEqual(error.details, { messages: 'At most 500 messages per request' });
  checkMessageSize('x'.repeat(MAX_MESSAGE_BYTES), 'messages.0.content');
  const big = expectTooLarge(() => checkMessageSize('x'.repeat(MAX_MESSAGE_BYTES + 1), 'messages.7.content'), /100 KB per-message limit/);
  assert.deepEqual(Object.keys(big.details ?? {}), ['messages.7.content']);
});

test('checkContentLimits covers content and message arrays', () => {
  checkContentLimits({ content: 'User: hi', messages: [{ content: 'hi' }, { text: 'there' }] });
  expectTooLarge(() => checkContentLimits({ messages: Array.from({ length: 501 }, () => ({ content: 'x' })) }), /500 messages/);
  expectTooLarge(() => checkContentLimits({ messages: [{ content: 'ok' }, { content: 'y'.repeat(MAX_MESSAGE_BYTES + 1) }] }), /messages\.1\.content/);
});

test('parseContent enforces all three limits', () => {
  expectTooLarge(() => parseContent(`User: ${'a'.repeat(MAX_CONTENT_BYTES)}`), /512 KB/);
  const many = JSON.stringify({ messages: Array.from({ length: 501 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` })) });
  expectTooLarge(() => parseContent(many), /500 messages/);
  const fine = JSON.stringify({ messages: Array.from({ length: 500 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` })) });
  assert.equal(parseContent(fine).messages.length, 500);
  // Count is checked before each message is validated, so even invalid entries give 413 past the limit.
  expectTooLarge(() => parseContent(JSON.stringify({ messages: Array.from({ length: 600 }, () => ({})) })), /600 messages/);
  expectTooLarge(() => parseContent(`User: ${'b'.repeat(MAX_MESSAGE_BYTES + 1)}\nAssistant: ok`), /messages\.0\.content .*100 KB/);
  expectTooLarge(
    () => parseContent(JSON.stringify({ messages: [{ role: 'user', content: 'c'.repeat(MAX_MESSAGE_BYTES + 1) }] })),
    /100 KB/,
  );
});
