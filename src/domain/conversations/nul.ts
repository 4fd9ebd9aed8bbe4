// PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request used to surface as a
// 500 from the database. Inputs are checked up front and refused as validation errors instead.
import { AppError } from '../errors.js';

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
