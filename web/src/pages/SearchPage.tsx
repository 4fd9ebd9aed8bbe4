// Search across every conversation: the best matching segments of each conversation, with the
// matched words highlighted; each snippet opens its conversation at that segment. The query lives
// in the URL (back, forward and reloads keep it); "More results" pages on with the API's cursor.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { KindBadge } from '../components/Badges';
import { Busy } from '../components/Busy';
import { ErrorBox } from '../components/ErrorBox';
import { Snippet } from '../components/Snippet';
import { formatDateTime } from '../format';
import { useAction, useAsync } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import type { SearchConversationHit, SearchPage as Page } from '../types';

const PAGE_SIZE = 10;

function elapsed(startTime: string | null, timestamp: string | null): string | null {
  if (!timestamp) return null;
  if (!startTime) return formatDateTime(timestamp);
  const s = Math.max(0, Math.round((Date.parse(timestamp) - Date.parse(startTime)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function SearchPage() {
  const { search } = useLocation();
  const q = (search.get('q') ?? '').trim();
  const kind = search.get('kind') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const go = (patch: { q?: string; kind?: string }) => {
    const p = new URLSearchParams();
    const next = { q, kind, ...patch };
    if (next.q) p.set('q', next.q);
    if (next.kind) p.set('kind', next.kind);
    const qs = p.toString();
    navigate(`/search${qs ? `?${qs}` : ''}`);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim() });
  };

  const first = useAsync<Page | null>((signal) => (q ? api.searchAcross({ q, kind: kind || undefined, limit: PAGE_SIZE }, signal) : Promise.resolve(null)), [q, kind]);
  const [more, setMore] = useState<{ rows: SearchConversationHit[]; cursor: string | null } | null>(null);
  useEffect(() => setMore(null), [first.data]);
  const rows = [...(first.data?.data ?? []), ...(more?.rows ?? [])];
  const cursor = more ? more.cursor : first.data?.pagination.nextCursor ?? null;
  const loadMore = useAction(() => api.searchAcross({ q, kind: kind || undefined, limit: PAGE_SIZE, cursor: cursor ?? undefined }));
  const onMore = async () => {
    const page = await loadMore.run();
    if (page) setMore({ rows: [...(more?.rows ?? []), ...page.data], cursor: page.pagination.nextCursor });
  };
  const corrected = first.data?.didYouMean ?? null;

  return (
    <div className="page search-page">
      <h1>Search</h1>
      <form className="filters" role="search" onSubmit={onSubmit}>
        <div className="field field-grow">
          <label htmlFor="search-q">Search all conversations</label>
          <input
            id="search-q"
            type="search"
            data-testid="search-input"
            value={text}
            maxLength={200}
            placeholder='Words, "a phrase", -exclude, or'
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="search-kind">Kind</label>
          <select id="search-kind" value={kind} onChange={(e) => go({ kind: e.target.value })}>
            <option value="">All</option>
            <option value="meeting">Meetings</option>
            <option value="chat">Chats</option>
          </select>
        </div>
        <div className="field field-actions">
          <button type="submit" className="btn btn-primary" data-testid="search-submit">
            Search
          </button>
        </div>
      </form>

      <ErrorBox error={first.error} title="Could not search" />
      {q && first.loading && <Busy label="Searching…" testId="search-loading" />}

      {!q && <p className="muted">Find what was said in any meeting or chat. Each result opens the conversation at the moment it was said.</p>}

      {corrected && !first.loading && (
        <p className="notice" data-testid="search-corrected" role="status">
          Nothing matched “{q}”. Showing results for <strong>“{corrected}”</strong>.
        </p>
      )}

      {q && !first.loading && !first.error && rows.length === 0 && (
        <div className="empty-state" data-testid="search-empty">
          <p>Nothing in your conversations matched “{q}”.</p>
          <p className="muted">Try fewer words, another spelling, or a phrase in quotes.</p>
        </div>
      )}

      {rows.length > 0 && (
        <ul className="conv-list" data-testid="search-results" aria-busy={first.loading}>
          {rows.map((c) => (
            <li key={c.conversationId} className="conv-row" data-testid="search-result">
              <Link to={`/conversations/${encodeURIComponent(c.conversationId)}`} className="conv-title">
                {c.title || 'Untitled conversation'}
              </Link>
              <div className="conv-meta">
                <KindBadge kind={c.kind} />
                {c.startTime && <time dateTime={c.startTime}>{formatDateTime(c.startTime)}</time>}
                <span>{c.matchCount === 1 ? '1 matching segment' : `${c.matchCount} matching segments`}</span>
              </div>
              <ul className="search-matches">
                {c.matches.map((m) => (
                  <li key={m.segmentIndex}>
                    <Link
                      to={`/conversations/${encodeURIComponent(c.conversationId)}?segment=${m.segmentIndex}`}
                      className="conv-match"
                      data-testid="search-match"
                      title="Open the conversation at this segment"
                    >
                      <span className="conv-match-speaker">
                        {m.speaker}
                        {elapsed(c.startTime, m.timestamp) && <> · {elapsed(c.startTime, m.timestamp)}</>}:
                      </span>{' '}
                      <Snippet html={m.snippet} />
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      <ErrorBox error={loadMore.error} title="Could not load more results" />
      {cursor && rows.length > 0 && (
        <button type="button" className="btn" data-testid="search-more" disabled={loadMore.pending} onClick={() => void onMore()}>
          {loadMore.pending ? 'Loading…' : 'More results'}
        </button>
      )}
    </div>
  );
}
