// Text PostgreSQL cannot store. U+0000 is refused by text and jsonb alike, so a NUL anywhere in a request
// used to surface as a 500 from the database: it is refused up front as a validation error instead.
// Lone surrogates are replaced (see toWellFormed).
import { AppError } from '../errors.js';

/**
 * Deepest nesting of objects and arrays a request may carry. The checks below and the database
 * writes all walk values recursively; a body nested thousands deep made JSON.stringify throw
 * (a 500), and NUL or lone surrogates below the checks' reach failed in PostgreSQL.
 */
export const MAX_NESTING = 64;

/** Throws validation_error naming the field where `value` nests deeper than MAX_NESTING levels. */
export function assertNesting(value: unknown, path = '', depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_NESTING) {
    const field = path || 'body';
    throw new AppError('validation_error', `${field} is nested more than ${MAX_NESTING} levels deep`, { details: { [field]: `Must not nest more than ${MAX_NESTING} levels` } });
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertNesting(v, path ? `${path}.${i}` : String(i), depth + 1));
  else for (const [k, v] of Object.entries(value as Record<string, unknown>)) assertNesting(v, path ? `${path}.${k}` : k, depth + 1);
}

/** The dotted path of the first string (or object key) under `value` that contains U+0000, or null. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = path ? `${path}.${k.replace(/\u0000/g, '\\u0000')}` : k.replace(/\u0000/g, '\\u0000');
    if (k.includes('\u0000')) return p;
    const hit = findNul(v, p, depth + 1);
    if (hit) return hit;
  }
  return null;
}

/** Throws validation_error naming the field when `value` contains a NUL character anywhere. */
export function assertNoNul(value: unknown, root = ''): void {
  const field = findNul(value, root);
  if (field) throw new AppError('validation_error', `${field} contains a NUL character`, { details: { [field]: 'Must not contain NUL (\\u0000) characters' } });
}

/**
 * `value` with its strings (and object keys) made well-formed UTF-16: lone surrogates become U+FFFD.
 * PostgreSQL text already stores them that way, but jsonb refuses the `\ud800` escapes that
 * JSON.stringify writes for them, which used to fail metadata writes with a 500. Parts that are
 * already well-formed (nearly every body) are returned as they are, not copied.
 */
export function toWellFormed<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (value.isWellFormed() ? value : value.toWellFormed()) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => toWellFormed(v, depth + 1));
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const fixed = entries.map(([k, v]) => [toWellFormed(k), toWellFormed(v, depth + 1)] as const);
  return (fixed.some(([k, v], i) => k !== entries[i][0] || v !== entries[i][1]) ? Object.fromEntries(fixed) : value) as T;
}
