// What every calendar source (ICS feed, Google Calendar API) hands back.

export interface CalendarAttendee {
  name: string | null;
  email: string | null;
}

export interface CalendarEvent {
  /** Stable per occurrence: recurring instances carry the series id plus their original start. */
  id: string;
  title: string;
  /** ISO 8601 instant for timed events; YYYY-MM-DD for all-day ones. */
  start: string;
  /** Exclusive end, in the same form as `start`. */
  end: string;
  /** IANA zone the event is scheduled in (for all-day events, the calendar's zone). */
  timeZone: string;
  allDay: boolean;
  attendees: CalendarAttendee[];
  location: string | null;
  meetingLink: string | null;
  description?: string;
}

/** An event with the instants it is sorted and filtered by. */
export interface PlacedEvent {
  event: CalendarEvent;
  startMs: number;
  endMs: number;
}

export interface EventQuery {
  timeMin: Date;
  maxResults: number;
}

/** True when the event has not ended by `timeMin` (events in progress count as upcoming, as in Google's API). */
export function isUpcoming(e: Pick<PlacedEvent, 'startMs' | 'endMs'>, timeMinMs: number): boolean {
  return e.endMs > timeMinMs || (e.endMs <= e.startMs && e.startMs >= timeMinMs);
}

/** Sorted by start (then end, then title and id, so ties come out the same every time). */
export function firstUpcoming(events: PlacedEvent[], q: EventQuery): CalendarEvent[] {
  const t = q.timeMin.getTime();
  return events
    .filter((e) => isUpcoming(e, t))
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || a.event.title.localeCompare(b.event.title) || a.event.id.localeCompare(b.event.id))
    .slice(0, q.maxResults)
    .map((e) => e.event);
}
