// The next events from the connected calendar.
import { api, isApiError } from '../api';
import { formatAllDayRange, formatDateTime } from '../format';
import { useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

// Times are shown in the viewer's timezone (no zone label: the event's own zone may differ).
function timeRange(start: string, end: string): string {
  const s = new Date(start);
  const e = new Date(end);
  if (Number.isNaN(s.getTime())) return start;
  if (Number.isNaN(e.getTime())) return formatDateTime(start);
  const sameDay = s.toDateString() === e.toDateString();
  return sameDay
    ? `${formatDateTime(start)} – ${e.toLocaleTimeString(undefined, { timeStyle: 'short' })}`
    : `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

export function UpcomingEvents({ version }: { version: number }) {
  const events = useAsync(
    (signal) => api.calendarEvents({ maxResults: 10, timeMin: new Date().toISOString() }, signal),
    [version],
  );

  // Without a connected calendar the server answers 404, or 400 naming `calendar`: not an error here.
  const e = events.error;
  const notConnected =
    isApiError(e, 'not_found') ||
    (isApiError(e, 'validation_error') && typeof e.details === 'object' && e.details !== null && 'calendar' in e.details);

  return (
    <section className="panel" id="events" aria-labelledby="events-heading">
      <div className="panel-head">
        <h2 id="events-heading">Upcoming events</h2>
        <button type="button" className="btn btn-small" onClick={events.reload} disabled={events.loading}>
          Refresh
        </button>
      </div>
      {events.loading && <Busy label="Loading events…" />}
      {notConnected ? (
        <p className="muted" data-testid="calendar-not-connected">
          No calendar connected. Connect an ICS feed or Google Calendar to see upcoming meetings here.
        </p>
      ) : (
        <ErrorBox error={events.error} title="Could not load upcoming events" />
      )}
      {events.data && events.data.length === 0 && (
        <p className="muted" data-testid="calendar-events-empty">
          No upcoming events.
        </p>
      )}
      {events.data && events.data.length > 0 && (
        <ul className="stack" data-testid="calendar-events">
          {events.data.map((ev) => (
            <li key={ev.id} className="card-item" data-testid="calendar-event">
              <p>
                <strong>{ev.title || 'Untitled event'}</strong>
              </p>
              <p className="small">
                <time dateTime={ev.start}>{ev.allDay ? formatAllDayRange(ev.start, ev.end) : timeRange(ev.start, ev.end)}</time>
              </p>
              {ev.location && <p className="small">Location: {ev.location}</p>}
              {ev.meetingLink && (
                <p className="small">
                  <a href={ev.meetingLink} target="_blank" rel="noopener noreferrer">
                    Join meeting
                  </a>
                </p>
              )}
              {ev.attendees && ev.attendees.length > 0 && (
                <p className="small muted">
                  Attendees: {ev.attendees.map((a) => a.name || a.email).filter(Boolean).join(', ')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
