import { AppError } from './errors.js';

// Opaque page cursors (list and search): a JSON array, base64url-encoded. Each caller decides what
// the array holds and checks it; a cursor that is not such an array is refused the same way everywhere.

export const REUSE_AS_GIVEN = 'use the nextCursor of a previous page as it is';

export function invalidCursor(why: string): AppError {
  return new AppError('validation_error', `Invalid cursor: ${why}`, { details: { cursor: why } });
}

export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The array a cursor holds, or 400 when it holds none. */
export function cursorParts(cursor: string): unknown[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(REUSE_AS_GIVEN);
  }
  if (!Array.isArray(parts)) throw invalidCursor(REUSE_AS_GIVEN);
  return parts;
}
