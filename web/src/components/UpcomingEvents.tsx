// The next events from the connected calendar.
import { api } from '../api';
import { formatDateTime } from '../format';
import { useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

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

  return (
    <section className="panel" id="events" aria-labelledby="events-heading">
      <div className="panel-head">
        <h2 id="events-heading">Upcoming events</h2>
        <button type="button" className="btn btn-small" onClick={events.reload} disabled={events.loading}>
          Refresh
        </button>
      </div>
      {events.loading && <Busy label="Loading events…" />}
      <ErrorBox error={events.error} title="No upcoming events to show" />
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
                <time dateTime={ev.start}>{timeRange(ev.start, ev.end)}</time>
                {ev.timeZone ? ` (${ev.timeZone})` : ''}
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
