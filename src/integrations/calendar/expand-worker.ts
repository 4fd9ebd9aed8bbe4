// Worker thread: parses one iCalendar feed and expands its recurring events. rrule walks candidate
// times in a loop nothing can interrupt, so a hostile rule (by-the-second from 1970, or one that
// never matches) is bounded by stopping this thread, never by hoping the loop ends.
import { upcomingEvents } from './ics-expand.js';
import { FeedParseError, parseFeed } from './ics-parse.js';
import type { CalendarEvent } from './types.js';

export interface ExpandTask {
  text: string;
  zone: string;
  timeMinMs: number;
  maxResults: number;
}

export type ExpandReply = { ok: true; events: CalendarEvent[] } | { ok: false; message: string };

export default async function expandFeed(task: ExpandTask | 'ping'): Promise<ExpandReply> {
  if (task === 'ping') return { ok: true, events: [] };
  try {
    const feed = await parseFeed(task.text, task.zone);
    return { ok: true, events: upcomingEvents(feed, { timeMin: new Date(task.timeMinMs), maxResults: task.maxResults }) };
  } catch (err) {
    // Structured cloning would drop the error class; the message is all the caller needs.
    if (err instanceof FeedParseError) return { ok: false, message: err.message };
    throw err;
  }
}
