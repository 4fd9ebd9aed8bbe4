// Speakers of the transcript, renamable: type a person's name over "Speaker 1" and save. Giving two
// speakers the same name merges them. Self-contained: it loads and saves through the speakers API
// and tells the page when the transcript changed.
import { useEffect, useState, type FormEvent } from 'react';
import { request } from '../api';
import { useAction, useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

interface Speaker {
  name: string;
  segmentCount: number;
}

interface Props {
  conversationId: string;
  /** Called after a rename was saved (reload the transcript and analyses). */
  onChanged?: () => void;
}

const speakersPath = (id: string) => `/conversations/${encodeURIComponent(id)}/speakers`;

export function SpeakersSection({ conversationId, onChanged }: Props) {
  const list = useAsync(
    async (signal) => (await request<{ speakers: Speaker[] }>('GET', speakersPath(conversationId), { signal })).data.speakers,
    [conversationId],
  );
  const [names, setNames] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useAction(async (rename: Record<string, string>) => (await request<{ speakers: Speaker[] }>('PATCH', speakersPath(conversationId), { body: { rename } })).data.speakers);

  useEffect(() => setNames(Object.fromEntries((list.data ?? []).map((s) => [s.name, s.name]))), [list.data]);

  const rename = Object.fromEntries(Object.entries(names).map(([from, to]) => [from, to.trim()]).filter(([from, to]) => to && to !== from));
  const merges = new Set(
    Object.values(rename).filter((to) => (list.data ?? []).some((s) => s.name === to) || Object.values(rename).filter((x) => x === to).length > 1),
  );

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!Object.keys(rename).length) return;
    setSaved(false);
    const r = await save.run(rename);
    if (r) {
      list.setData(r);
      setSaved(true);
      onChanged?.();
    }
  };

  return (
    <section className="panel" id="speakers" aria-labelledby="speakers-heading" aria-busy={save.pending}>
      <div className="panel-head">
        <h2 id="speakers-heading">Speakers</h2>
      </div>
      {list.loading && !list.data && <Busy label="Loading speakers…" />}
      <ErrorBox error={list.error} title="Could not load the speakers" />
      {list.data && list.data.length === 0 && <p className="muted">No speakers yet.</p>}
      {list.data && list.data.length > 0 && (
        <form onSubmit={onSubmit} data-testid="speakers-form">
          <p className="muted">Rename a speaker everywhere in the transcript. Give two speakers the same name to merge them.</p>
          <ul className="speaker-list" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: '0.5rem' }}>
            {list.data.map((s, i) => (
              <li key={s.name}>
                <label htmlFor={`speaker-${i}`}>
                  {s.name} <span className="muted">({s.segmentCount} {s.segmentCount === 1 ? 'segment' : 'segments'})</span>
                </label>
                <input
                  id={`speaker-${i}`}
                  data-testid="speaker-name"
                  type="text"
                  maxLength={200}
                  value={names[s.name] ?? s.name}
                  onChange={(e) => {
                    setSaved(false);
                    setNames({ ...names, [s.name]: e.target.value });
                  }}
                />
              </li>
            ))}
          </ul>
          {merges.size > 0 && <p className="muted">Saving merges speakers into: {[...merges].join(', ')}.</p>}
          <button type="submit" className="btn btn-primary" data-testid="speakers-save" disabled={save.pending || !Object.keys(rename).length}>
            {save.pending ? 'Saving…' : 'Save names'}
          </button>
          {saved && (
            <span role="status" className="muted">
              {' '}
              Saved. Key points and feedback will be regenerated with the new names.
            </span>
          )}
          <ErrorBox error={save.error} title="Could not rename the speakers" onDismiss={save.clearError} />
        </form>
      )}
    </section>
  );
}
