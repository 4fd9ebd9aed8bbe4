// Converra's content limits (SPEC §6); exceeding any of them is 413 payload_too_large.
import { AppError } from '../errors.js';

export const KB = 1024;
/** Maximum size of the `content` field, in UTF-8 bytes. */
export const MAX_CONTENT_BYTES = 512 * KB;
/** Maximum number of messages in one request. */
export const MAX_MESSAGES = 500;
/** Maximum size of one message's text, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 100 * KB;

export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

function formatKb(bytes: number): string {
  const kb = bytes / KB;
  return `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB`;
}

/** Throws payload_too_large when `content` is over 512 KB of UTF-8. */
export function checkContentSize(content: string, field = 'content'): void {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit, so short strings cannot be over the limit
  // and skip the full byte count.
  if (content.length * 3 <= MAX_CONTENT_BYTES) return;
  const bytes = byteLength(content);
  if (bytes > MAX_CONTENT_BYTES) {
    throw new AppError('payload_too_large', `${field} is ${formatKb(bytes)}, over the ${formatKb(MAX_CONTENT_BYTES)} content limit`, {
      details: { [field]: `Exceeds the ${formatKb(MAX_CONTENT_BYTES)} content limit` },
    });
  }
}

/** Throws payload_too_large when a request carries more than 500 messages. */
export function checkMessageCount(count: number, field = 'messages'): void {
  if (count > MAX_MESSAGES) {
    throw new AppError('payload_too_large', `${count} messages is over the limit of ${MAX_MESSAGES} messages per request`, {
      details: { [field]: `At most ${MAX_MESSAGES} messages per request` },
    });
  }
}

/** Throws payload_too_large when one message's text is over 100 KB of UTF-8. */
export function checkMessageSize(text: string, field: string): void {
  if (text.length * 3 <= MAX_MESSAGE_BYTES) return;
  const bytes = byteLength(text);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new AppError('payload_too_large', `${field} is ${formatKb(bytes)}, over the ${formatKb(MAX_MESSAGE_BYTES)} per-message limit`, {
      details: { [field]: `Exceeds the ${formatKb(MAX_MESSAGE_BYTES)} per-message limit` },
    });
  }
}

/**
 * Checks every limit that applies to one request: the raw content size, the number of messages
 * and each message's size. `messages` is whatever the request carries (parsed or given directly).
 */
export function checkContentLimits(input: {
  content?: string;
  messages?: ReadonlyArray<{ text?: string; content?: string }>;
  field?: string;
}): void {
  if (input.content !== undefined) checkContentSize(input.content);
  if (input.messages) {
    const field = input.field ?? 'messages';
    checkMessageCount(input.messages.length, field);
    input.messages.forEach((message, i) => {
      const text = message.text ?? message.content;
      if (typeof text === 'string') checkMessageSize(text, `${field}.${i}.content`);
    });
  }
}
