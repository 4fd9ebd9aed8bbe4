/** A timestamp as ISO 8601 text, or null: how every API response writes its dates. */
export function isoOrNull(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}

// Instants stored and returned as ISO 8601 text stay within years 0001–9999: outside them the text
// needs a sign and six digits, and the embedded database refuses them (a 500, not a 400).
const MIN_MS = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');
export const STORABLE_YEARS = 'Must be between the years 0001 and 9999 (UTC)';

export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;
}

/**
 * `d` when it is a real calendar day the databases store (YYYY-MM-DD, years 0001–9999, no
 * 2026-02-30), else null.
 */
export function calendarDay(d: string | null | undefined): string | null {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '0001-01-01') return null;
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d ? d : null;
}
