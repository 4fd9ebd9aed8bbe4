// The trash: deleted conversations, most recently deleted first, each with Restore.
import { useState } from 'react';
import { api } from '../api';
import { KindBadge } from '../components/Badges';
import { Busy } from '../components/Busy';
import { ErrorBox } from '../components/ErrorBox';
import { Pagination } from '../components/Pagination';
import { formatDateTime } from '../format';
import { useAction, useAsync, useDocumentTitle } from '../hooks';
import { Link, navigate, useLocation } from '../router';

const PAGE_SIZE = 20;

export function TrashPage() {
  useDocumentTitle('Trash');
  const { search } = useLocation();
  const offset = Math.max(0, Math.floor(Number(search.get('offset')) || 0));
  const list = useAsync((signal) => api.listDeleted({ limit: PAGE_SIZE, offset }, signal), [offset]);
  const [restored, setRestored] = useState<{ id: string; title: string }[]>([]);
  const restore = useAction((id: string) => api.restoreConversation(id));

  const rows = (list.data?.data ?? []).filter((c) => !restored.some((r) => r.id === c.id));
  const page = list.data?.pagination ?? { total: rows.length, limit: PAGE_SIZE, offset };

  const onRestore = async (id: string, title: string) => {
    if (await restore.run(id)) setRestored((prev) => [...prev, { id, title }]);
  };

  return (
    <div className="page">
      <p className="back">
        <Link to="/conversations">← All conversations</Link>
      </p>
      <div className="page-head">
        <h1>Trash</h1>
      </div>
      <p className="muted">Deleted conversations are hidden everywhere (API, search, share links) until you restore them.</p>
      {restored.length > 0 && (
        <ul className="notice stack" role="status" data-testid="trash-restored">
          {restored.map((r) => (
            <li key={r.id}>
              Restored <Link to={`/conversations/${encodeURIComponent(r.id)}`}>{r.title}</Link>.
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={restore.error} title="Could not restore" onDismiss={restore.clearError} />
      <ErrorBox error={list.error} title="Could not load the trash" />
      {list.loading && <Busy label="Loading the trash…" />}
      {!list.loading && !list.error && rows.length === 0 && (
        <div className="empty-state" data-testid="trash-empty">
          <p>The trash is empty.</p>
        </div>
      )}
      {rows.length > 0 && (
        <ul className="conv-list" data-testid="trash-list">
          {rows.map((c) => {
            const title = c.title || 'Untitled conversation';
            return (
              <li key={c.id} className="conv-row trash-row" data-testid={`trash-row-${c.id}`}>
                <span className="conv-title">{title}</span>
                <div className="conv-meta">
                  <KindBadge kind={c.kind} />
                  <span>
                    Deleted <time dateTime={c.deletedAt}>{formatDateTime(c.deletedAt)}</time>
                  </span>
                  {(c.startTime ?? c.createdAt) && <span>from {formatDateTime(c.startTime ?? c.createdAt)}</span>}
                </div>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid={`trash-restore-${c.id}`}
                  disabled={restore.pending}
                  aria-label={`Restore ${title}`}
                  onClick={() => void onRestore(c.id, title)}
                >
                  Restore
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {(rows.length > 0 || offset > 0) && (
        <Pagination page={page} shown={rows.length} disabled={list.loading} onOffset={(o) => navigate(`/trash${o ? `?offset=${o}` : ''}`)} />
      )}
    </div>
  );
}
