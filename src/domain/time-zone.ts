// IANA time-zone names, as conversations and user profiles store them. Intl decides what exists;
// the shape check keeps out what Intl also accepts but is not a zone name (offsets like "+05:00").
const SHAPE = /^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+)*$/;

export const TIME_ZONE_HINT = 'Must be an IANA time zone, e.g. Europe/Berlin or America/New_York';

export function isTimeZone(zone: string): boolean {
  if (zone.length > 64 || !SHAPE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
