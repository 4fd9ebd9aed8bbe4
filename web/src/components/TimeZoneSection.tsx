// The profile time zone: conversations created or imported without their own zone have relative
// dates ("tomorrow", "end of the week") read in it.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAction, useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

export function TimeZoneSection() {
  const profile = useAsync((signal) => api.profile({ signal }), []);
  const [zone, setZone] = useState('');
  // What the person typed is never replaced by a profile that arrives after they started typing.
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useAction((timezone: string) => api.setTimezone(timezone));
  const zones = useMemo(knownZones, []);
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const current = profile.data ? (profile.data.profile.timezone ?? 'UTC') : '…';

  useEffect(() => {
    if (profile.data && !touched) setZone(profile.data.profile.timezone ?? 'UTC');
  }, [profile.data, touched]);

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = await save.run(zone.trim());
    if (r !== undefined) {
      setSaved(true);
      profile.reload();
    }
  };

  return (
    <section className="panel" id="timezone" aria-labelledby="timezone-heading">
      <div className="panel-head">
        <h2 id="timezone-heading">Time zone</h2>
      </div>
      {profile.loading && !profile.data && <Busy label="Loading profile…" />}
      <ErrorBox error={profile.error} title="Could not load the profile" />
      <p className="muted small">
        Dates such as “tomorrow” or “end of the week” in your conversations are read in this zone, unless a conversation was
        created with its own <code>timeZone</code>. Current: <strong data-testid="timezone-current">{current}</strong>.
      </p>
      <form className="stack" onSubmit={onSave}>
        <div className="field">
          <label htmlFor="timezone-input">IANA time zone</label>
          <input
            id="timezone-input"
            data-testid="timezone-input"
            list="timezone-options"
            autoComplete="off"
            spellCheck={false}
            value={zone}
            onChange={(e) => {
              setTouched(true);
              setZone(e.target.value);
            }}
            placeholder="Europe/Berlin"
            required
          />
          <datalist id="timezone-options">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" data-testid="timezone-save" disabled={save.pending}>
            {save.pending ? 'Saving…' : 'Save time zone'}
          </button>
          {browserZone && browserZone !== zone && (
            <button type="button" className="btn" data-testid="timezone-use-browser" onClick={() => setZone(browserZone)}>
              Use this browser’s zone ({browserZone})
            </button>
          )}
          <span role="status" className="small ok-text">
            {saved ? 'Time zone saved' : ''}
          </span>
        </div>
      </form>
      <ErrorBox error={save.error} title="Could not save the time zone" onDismiss={save.clearError} />
    </section>
  );
}
