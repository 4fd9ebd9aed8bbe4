/** A timestamp as ISO 8601 text, or null: how every API response writes its dates. */
export function isoOrNull(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}
