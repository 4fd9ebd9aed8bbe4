// Finds the video-call link of an event in the places calendars put it: a conference property,
// the URL, the location, or somewhere in the (often HTML) description.

const URL_TAIL = `[^\\s<>"'()\\[\\]{}]*`;
const PATTERNS: RegExp[] = [
  new RegExp(`https://(?:[\\w-]+\\.)*zoom(?:gov)?\\.us/(?:j|my|w|s|wc/join)/${URL_TAIL}`, 'i'),
  new RegExp(`https://meet\\.google\\.com/[a-z]{3,4}-[a-z]{4}-[a-z]{3,4}${URL_TAIL}`, 'i'),
  new RegExp(`https://meet\\.google\\.com/lookup/${URL_TAIL}`, 'i'),
  new RegExp(`https://teams\\.microsoft\\.com/(?:l/meetup-join|meet)/${URL_TAIL}`, 'i'),
  new RegExp(`https://teams\\.live\\.com/meet/${URL_TAIL}`, 'i'),
  new RegExp(`https://(?:[\\w-]+\\.)*webex\\.com/(?:meet/|join/|[\\w.-]+/j\\.php)${URL_TAIL}`, 'i'),
  new RegExp(`https://(?:[\\w-]+\\.)*whereby\\.com/${URL_TAIL}`, 'i'),
];

/** The first conference URL in `text` (earliest position wins), or null. */
export function findMeetingLink(text: string | null | undefined): string | null {
  if (!text) return null;
  let best: { index: number; url: string } | null = null;
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    if (m && (!best || m.index < best.index)) best = { index: m.index, url: m[0] };
  }
  if (!best) return null;
  // Descriptions are often HTML (escaped ampersands) or prose (a full stop after the link).
  return best.url.replace(/&amp;/gi, '&').replace(/[.,;:!?]+$/, '');
}

/** The first of `sources` that holds a conference link. */
export function meetingLinkFrom(...sources: Array<string | null | undefined>): string | null {
  for (const s of sources) {
    const link = findMeetingLink(s);
    if (link) return link;
  }
  return null;
}
