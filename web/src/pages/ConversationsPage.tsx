// The conversation list: search (titles and transcript text), filters, pagination. Filters
// live in the URL query so back/forward and reloads keep them.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { KindBadge, StatusBadge } from '../components/Badges';
import { Busy } from '../components/Busy';
import { ErrorBox } from '../components/ErrorBox';
import { Pagination } from '../components/Pagination';
import { dateInputToIso, formatDateTime, formatDuration, humanize } from '../format';
import { useAsync, useDebounced } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { Snippet } from '../components/Snippet';
import { AskAcross } from '../components/AskAcross';
import { conversationKinds, conversationStatuses } from '../types';

export const PAGE_SIZE = 20;

const FILTER_KEYS = ['q', 'kind', 'status', 'since', 'insights'] as const;
const SPEAKERS_SHOWN = 4;

export function ConversationsPage() {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const kind = search.get('kind') ?? '';
  const status = search.get('status') ?? '';
  const since = search.get('since') ?? '';
  const insights = search.get('insights') ?? '';
  const offset = Math.max(0, Math.floor(Number(search.get('offset')) || 0));
  // Meeting date by default: the date each row shows is the one it is sorted by.
  const sort = search.get('sort') === 'createdAt' ? 'createdAt' : 'startTime';
  const [filtersOpen, setFiltersOpen] = useState(false);

  const update = (patch: Record<string, string>, push = false) => {
    const p = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const qs = p.toString();
    navigate(`/conversations${qs ? `?${qs}` : ''}`, { replace: !push });
  };

  // The search box updates the URL after a pause in typing.
  const [text, setText] = useState(q);
  const debounced = useDebounced(text, 300);
  useEffect(() => {
    if (debounced.trim() !== q) update({ q: debounced.trim(), offset: '' });
    // Only the debounced text drives this; `q` is compared, not followed.
  }, [debounced]);
  useEffect(() => {
    if (q !== text.trim()) setText(q);
  }, [q]);

  const list = useAsync(
    (signal) =>
      api.listConversations(
        {
          limit: PAGE_SIZE,
          offset,
          search: q || undefined,
          kind: kind || undefined,
          status: status || undefined,
          since: since ? dateInputToIso(since) : undefined,
          hasInsights: insights || undefined,
          sort,
          include: 'overview',
        },
        signal,
      ),
    [q, kind, status, since, insights, offset, sort],
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update({ q: text.trim(), offset: '' });
  };

  const filtered = FILTER_KEYS.some((k) => search.get(k));
  const activeFilters = FILTER_KEYS.filter((k) => k !== 'q' && search.get(k)).length;
  const clearFilters = () => {
    setText('');
    navigate('/conversations', { replace: true });
  };

  const rows = list.data?.data ?? [];
  const page = list.data?.pagination ?? { total: rows.length, limit: PAGE_SIZE, offset };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Conversations</h1>
        <div className="page-actions">
          <Link to="/trash" className="btn btn-ghost" data-testid="trash-link">
            Trash
          </Link>
          <Link to="/import" className="btn btn-primary">
            Import transcript
          </Link>
        </div>
      </div>

      <form className={`filters${filtersOpen ? ' filters-open' : ''}`} role="search" aria-label="Search and filter conversations" onSubmit={onSubmit}>
        <div className="field field-grow">
          <label htmlFor="search-input">Search titles and transcripts</label>
          <input
            id="search-input"
            data-testid="search-input"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. roadmap"
          />
        </div>
        <div className="field filters-toggle-field">
          <button
            type="button"
            className="btn"
            data-testid="filters-toggle"
            aria-expanded={filtersOpen}
            aria-controls="filter-fields"
            onClick={() => setFiltersOpen((v) => !v)}
          >
            Filters{activeFilters ? ` (${activeFilters})` : ''}
          </button>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort by</label>
          <select id="filter-sort" data-testid="filter-sort" value={sort} onChange={(e) => update({ sort: e.target.value === 'createdAt' ? 'createdAt' : '', offset: '' })}>
            <option value="startTime">Meeting date</option>
            <option value="createdAt">Date added</option>
          </select>
        </div>
        <div className="filter-fields" id="filter-fields">
        <div className="field">
          <label htmlFor="filter-kind">Kind</label>
          <select
            id="filter-kind"
            data-testid="filter-kind"
            value={kind}
            onChange={(e) => update({ kind: e.target.value, offset: '' })}
          >
            <option value="">All kinds</option>
            {conversationKinds.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            data-testid="filter-status"
            value={status}
            onChange={(e) => update({ status: e.target.value, offset: '' })}
          >
            <option value="">All statuses</option>
            {conversationStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-since">Since</label>
          <input
            id="filter-since"
            data-testid="filter-since"
            type="date"
            value={since}
            onChange={(e) => update({ since: e.target.value, offset: '' })}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-insights">Insights</label>
          <select
            id="filter-insights"
            data-testid="filter-insights"
            value={insights}
            onChange={(e) => update({ insights: e.target.value, offset: '' })}
          >
            <option value="">Any</option>
            <option value="true">With insights</option>
            <option value="false">Without insights</option>
          </select>
        </div>
        </div>
        <div className="field field-actions">
          <button type="submit" className="btn">
            Search
          </button>
          {filtered && (
            <button type="button" className="btn btn-ghost" data-testid="clear-filters" onClick={clearFilters}>
              Clear
            </button>
          )}
        </div>
      </form>

      <ErrorBox error={list.error} title="Could not load conversations" />
      {list.loading && <Busy label="Loading conversations…" testId="conversations-loading" />}

      {!list.loading && !list.error && rows.length === 0 && (
        <div className="empty-state" data-testid="empty-state">
          {filtered ? (
            <>
              <p>No conversations match these filters.</p>
              <button type="button" className="btn" onClick={clearFilters}>
                Clear filters
              </button>
            </>
          ) : offset > 0 ? (
            <>
              <p>This page is empty.</p>
              <button type="button" className="btn" onClick={() => update({ offset: '' })}>
                Go to the first page
              </button>
            </>
          ) : (
            <>
              <p>
                <strong>No conversations yet.</strong> Import a transcript file (VTT, SRT, JSON or text), or send one
                through the API with <code>POST /api/v1/conversations</code>.
              </p>
              <Link to="/import" className="btn btn-primary">
                Import a transcript
              </Link>
            </>
          )}
        </div>
      )}

      {rows.length > 0 && (
        <ul className="conv-list" data-testid="conversation-list" aria-busy={list.loading}>
          {rows.map((c) => (
            <li key={c.id} className="conv-row" data-testid="conversation-row">
              <Link
                to={`/conversations/${encodeURIComponent(c.id)}`}
                className="conv-title"
                data-testid={`conversation-link-${c.id}`}
              >
                {c.title || 'Untitled conversation'}
              </Link>
              <div className="conv-meta">
                <KindBadge kind={c.kind} />
                <StatusBadge status={c.status} />
                {(() => {
                  const shown = sort === 'createdAt' ? c.createdAt : (c.startTime ?? c.createdAt);
                  return (
                    <time dateTime={shown} data-testid="conversation-date" title={sort === 'createdAt' ? 'Added' : 'Meeting date'}>
                      {formatDateTime(shown)}
                    </time>
                  );
                })()}
                {c.kind === 'chat' ? (
                  <span data-testid="conversation-size">
                    {c.segmentCount ?? 0} message{c.segmentCount === 1 ? '' : 's'}
                  </span>
                ) : (
                  <>
                    <span data-testid="conversation-size">{formatDuration(c.duration)}</span>
                    {typeof c.segmentCount === 'number' && <span>{c.segmentCount} segments</span>}
                  </>
                )}
                {c.hasInsights && <span className="badge badge-good">Insights</span>}
                {c.shareUrl && <span className="badge badge-accent">Shared</span>}
              </div>
              {c.overview?.summary && (
                <p className="conv-summary" data-testid="conversation-summary">
                  {c.overview.summary}
                </p>
              )}
              {c.overview && c.overview.speakers.length > 0 && (
                <p className="conv-people small muted" data-testid="conversation-speakers">
                  {c.overview.speakers.slice(0, SPEAKERS_SHOWN).join(', ')}
                  {c.overview.speakers.length > SPEAKERS_SHOWN ? ` and ${c.overview.speakers.length - SPEAKERS_SHOWN} more` : ''}
                </p>
              )}
              {c.match?.field === 'transcript' && c.match.segmentIndex !== null && (
                <Link
                  to={`/conversations/${encodeURIComponent(c.id)}?segment=${c.match.segmentIndex}`}
                  className="conv-match"
                  data-testid={`conversation-match-${c.id}`}
                  title="Open the conversation at this segment"
                >
                  <span className="conv-match-speaker">{c.match.speaker}:</span> <Snippet html={c.match.snippet} />
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}

      {(rows.length > 0 || offset > 0) && (
        <Pagination page={page} shown={rows.length} disabled={list.loading} onOffset={(o) => update({ offset: o ? String(o) : '' }, true)} />
      )}

      <AskAcross />
    </div>
  );
}
