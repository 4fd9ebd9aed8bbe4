// The calendar the server reads upcoming meetings from: an ICS feed URL or Google Calendar.
import { useEffect, useState, type FormEvent } from 'react';
import { api, orNotFound } from '../api';
import { useAction, useAsync } from '../hooks';
import type { CalendarSourceInput } from '../types';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

type SourceType = 'ics' | 'google';

export function CalendarSection({ onChanged }: { onChanged: () => void }) {
  // 404 means no calendar is connected yet: an empty state, not an error.
  const source = useAsync((signal) => orNotFound(api.calendarSource(signal)), []);
  const [type, setType] = useState<SourceType>('ics');
  const [icsUrl, setIcsUrl] = useState('');
  const [google, setGoogle] = useState({ refreshToken: '', clientId: '', clientSecret: '', calendarId: '' });
  const [saved, setSaved] = useState(false);
  const save = useAction((input: CalendarSourceInput) => api.setCalendarSource(input));
  const remove = useAction(() => api.removeCalendarSource());

  useEffect(() => {
    const s = source.data;
    if (!s?.type) return;
    setType(s.type);
    if (s.type === 'ics' && s.url) setIcsUrl(s.url);
    if (s.type === 'google' && s.calendarId) setGoogle((g) => ({ ...g, calendarId: s.calendarId ?? '' }));
  }, [source.data]);

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const input: CalendarSourceInput =
      type === 'ics'
        ? { type: 'ics', url: icsUrl.trim() }
        : {
            type: 'google',
            refreshToken: google.refreshToken.trim(),
            clientId: google.clientId.trim(),
            clientSecret: google.clientSecret.trim(),
            ...(google.calendarId.trim() ? { calendarId: google.calendarId.trim() } : {}),
          };
    const r = await save.run(input);
    if (r !== undefined) {
      setSaved(true);
      source.reload();
      onChanged();
    }
  };

  const onRemove = async () => {
    const r = await remove.run();
    if (r !== undefined) {
      setSaved(false);
      setIcsUrl('');
      setGoogle({ refreshToken: '', clientId: '', clientSecret: '', calendarId: '' });
      source.reload();
      onChanged();
    }
  };

  const current = source.data;
  return (
    <section className="panel" id="calendar" aria-labelledby="calendar-heading">
      <div className="panel-head">
        <h2 id="calendar-heading">Calendar</h2>
      </div>
      {source.loading && !current && <Busy label="Loading calendar source…" />}
      <ErrorBox error={source.error} title="Could not load the calendar source" />
      {!source.loading && !source.error && (
        <p data-testid="calendar-current">
          {current?.type === 'ics' && (
            <>
              Connected to an ICS feed{current.url ? <>: <code className="wrap">{current.url}</code></> : ''}.
            </>
          )}
          {current?.type === 'google' && <>Connected to Google Calendar{current.calendarId ? ` (${current.calendarId})` : ''}.</>}
          {!current?.type && 'No calendar connected.'}
        </p>
      )}

      <form className="stack" onSubmit={onSave}>
        <fieldset className="radio-row">
          <legend>Source</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="calendar-type"
              value="ics"
              data-testid="calendar-type-ics"
              checked={type === 'ics'}
              onChange={() => setType('ics')}
            />
            ICS feed URL
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="calendar-type"
              value="google"
              data-testid="calendar-type-google"
              checked={type === 'google'}
              onChange={() => setType('google')}
            />
            Google Calendar
          </label>
        </fieldset>

        {type === 'ics' ? (
          <div className="field">
            <label htmlFor="calendar-ics-url">ICS feed URL</label>
            <input
              id="calendar-ics-url"
              data-testid="calendar-ics-url"
              type="url"
              inputMode="url"
              value={icsUrl}
              onChange={(e) => setIcsUrl(e.target.value)}
              placeholder="https://calendar.example.com/feed.ics"
              required
            />
          </div>
        ) : (
          <div className="form-grid">
            {(
              [
                ['refreshToken', 'OAuth refresh token', 'password'],
                ['clientId', 'OAuth client ID', 'text'],
                ['clientSecret', 'OAuth client secret', 'password'],
                ['calendarId', 'Calendar ID (optional, default primary)', 'text'],
              ] as const
            ).map(([key, label, inputType]) => (
              <div className="field" key={key}>
                <label htmlFor={`calendar-google-${key}`}>{label}</label>
                <input
                  id={`calendar-google-${key}`}
                  data-testid={`calendar-google-${key}`}
                  type={inputType}
                  autoComplete="off"
                  value={google[key]}
                  onChange={(e) => setGoogle((g) => ({ ...g, [key]: e.target.value }))}
                  required={key !== 'calendarId'}
                />
              </div>
            ))}
          </div>
        )}

        <div className="actions">
          <button type="submit" className="btn btn-primary" data-testid="calendar-save" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save calendar'}
          </button>
          {current?.type && (
            <button
              type="button"
              className="btn btn-danger-outline"
              data-testid="calendar-remove"
              onClick={onRemove}
              disabled={remove.pending}
            >
              Disconnect
            </button>
          )}
          <span role="status" className="small ok-text">
            {saved ? 'Calendar saved' : ''}
          </span>
        </div>
      </form>
      <ErrorBox error={save.error} title="Could not save the calendar" onDismiss={save.clearError} />
      <ErrorBox error={remove.error} title="Could not disconnect" onDismiss={remove.clearError} />
    </section>
  );
}
