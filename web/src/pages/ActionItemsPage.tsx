// Open action items across meetings, grouped by owner or by due date. Checking one off marks it
// done; owner and due date can be edited in place; each item links to the segment it came from and
// to later meetings that mention it. A person's edits are kept when key points are regenerated.
import { useState } from 'react';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ActionItemEdit as EditForm } from '../components/ActionItemEdit';
import { ErrorBox } from '../components/ErrorBox';
import { formatCalendarDate } from '../format';
import { useAction, useAsync } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import type { TrackedActionItem } from '../types';

type GroupBy = 'owner' | 'due';

const NO_OWNER = 'No owner';
const NO_DUE = 'No due date';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function segmentLink(conversationId: string, segmentIndex: number): string {
  return `/conversations/${encodeURIComponent(conversationId)}?segment=${segmentIndex}`;
}

/** Groups in a stable order: owners alphabetically (no owner last); due dates soonest first (none last). */
function groups(items: TrackedActionItem[], by: GroupBy): Array<{ label: string; items: TrackedActionItem[] }> {
  const map = new Map<string, TrackedActionItem[]>();
  for (const it of items) {
    const label = by === 'owner' ? it.owner ?? NO_OWNER : it.dueDate ?? NO_DUE;
    map.set(label, [...(map.get(label) ?? []), it]);
  }
  const last = by === 'owner' ? NO_OWNER : NO_DUE;
  const labels = [...map.keys()].sort((a, b) => (a === last ? 1 : b === last ? -1 : a.localeCompare(b)));
  return labels.map((label) => ({ label, items: map.get(label)! }));
}

function groupHeading(label: string, by: GroupBy): string {
  if (by === 'owner' || label === NO_DUE) return label;
  return `Due ${formatCalendarDate(label)}`;
}

function ItemRow({ item, onChanged, onDone }: { item: TrackedActionItem; onChanged: (i: TrackedActionItem) => void; onDone: (i: TrackedActionItem) => void }) {
  const [editing, setEditing] = useState(false);
  const [checked, setChecked] = useState(false);
  const done = useAction(() => api.updateActionItem(item.id, { status: 'done' }));
  const overdue = item.dueDate !== null && item.dueDate < today();
  const source = item.evidence[0];
  // Checked at once; unchecked again if the server refuses.
  const check = async () => {
    setChecked(true);
    const r = await done.run();
    if (r) onDone(r);
    else setChecked(false);
  };
  return (
    <li className="action-row" data-testid="action-item" data-id={item.id}>
      <input
        type="checkbox"
        id={`done-${item.id}`}
        className="action-check"
        data-testid="action-done"
        checked={checked}
        disabled={checked}
        onChange={check}
      />
      <div className="action-body">
        <label htmlFor={`done-${item.id}`} className="action-text">
          {item.item}
          <span className="sr-only"> (mark as done)</span>
        </label>
        <div className="conv-meta">
          <span data-testid="action-owner">{item.owner ?? NO_OWNER}</span>
          <span data-testid="action-due">{item.dueDate ? `Due ${formatCalendarDate(item.dueDate)}` : NO_DUE}</span>
          {overdue && <span className="badge badge-bad">Overdue</span>}
          <span className={`badge badge-priority-${item.priority}`}>{item.priority}</span>
          <Link
            to={source ? segmentLink(item.conversationId, source.segmentIndex) : `/conversations/${encodeURIComponent(item.conversationId)}`}
            data-testid="action-source"
            title="Open the conversation at the segment this item comes from"
          >
            {item.conversationTitle || 'Untitled conversation'}
            {source ? ` · #${source.segmentIndex}` : ''}
          </Link>
          <button type="button" className="btn btn-ghost btn-small" data-testid="action-edit" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
            Edit<span className="sr-only"> owner and due date of “{item.item}”</span>
          </button>
        </div>
        {item.suggestedStatus === 'done' && (
          <p className="action-suggestion" data-testid="action-suggestion">
            <span className="badge badge-good">Looks done</span> a later meeting says so; check it off to confirm.
          </p>
        )}
        {item.mentions.length > 0 && (
          <ul className="action-mentions" aria-label="Mentioned again in">
            {item.mentions.map((m) => (
              <li key={`${m.conversationId}-${m.segmentIndex}`}>
                <Link to={segmentLink(m.conversationId, m.segmentIndex)} data-testid="action-mention">
                  Mentioned: “{m.quote.length > 90 ? `${m.quote.slice(0, 90)}…` : m.quote}”
                </Link>
              </li>
            ))}
          </ul>
        )}
        {editing && (
          <EditForm
            item={item}
            onCancel={() => setEditing(false)}
            onSaved={(i) => {
              setEditing(false);
              onChanged(i);
            }}
          />
        )}
        <ErrorBox error={done.error} title="Could not mark as done" />
      </div>
    </li>
  );
}

export function ActionItemsPage() {
  const search = useLocation().search;
  const by: GroupBy = search.get('groupBy') === 'due' ? 'due' : 'owner';
  const [more, setMore] = useState<{ items: TrackedActionItem[]; cursor: string | null } | null>(null);
  const [announce, setAnnounce] = useState('');
  const list = useAsync(async (signal) => {
    setMore(null);
    return api.listActionItems({ status: 'open', limit: 100 }, signal);
  }, []);
  const loadMore = useAction((cursor: string) => api.listActionItems({ status: 'open', limit: 100, cursor }));

  const items = [...(list.data?.data ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : list.data?.pagination.nextCursor ?? null;

  const replace = (changed: TrackedActionItem | null, id: string) => {
    const swap = (xs: TrackedActionItem[]) => xs.flatMap((x) => (x.id !== id ? [x] : changed ? [changed] : []));
    if (list.data) list.setData({ ...list.data, data: swap(list.data.data) });
    if (more) setMore({ ...more, items: swap(more.items) });
  };

  const onMore = async () => {
    if (!cursor) return;
    const page = await loadMore.run(cursor);
    if (page) setMore({ items: [...(more?.items ?? []), ...page.data], cursor: page.pagination.nextCursor });
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Action items</h1>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="group-by">Group by</label>
          <select id="group-by" data-testid="action-group-by" value={by} onChange={(e) => navigate(`/action-items?groupBy=${e.target.value}`, { replace: true })}>
            <option value="owner">Owner</option>
            <option value="due">Due date</option>
          </select>
        </div>
      </div>
      <p className="sr-only" role="status" data-testid="action-announce">
        {announce}
      </p>

      <ErrorBox error={list.error} title="Could not load action items" />
      {list.loading && <Busy label="Loading action items…" testId="action-items-loading" />}

      {!list.loading && !list.error && items.length === 0 && (
        <div className="empty-state" data-testid="action-items-empty">
          <p>
            <strong>No open action items.</strong> They come from the key points of your conversations: open a conversation and
            generate its key points.
          </p>
        </div>
      )}

      {groups(items, by).map((g, n) => (
        <section key={g.label} className="action-group" aria-labelledby={`action-group-${n}`} data-testid="action-group">
          <h2 id={`action-group-${n}`} data-testid="action-group-heading">
            {groupHeading(g.label, by)} <span className="badge badge-muted">{g.items.length}</span>
          </h2>
          <ul className="conv-list">
            {g.items.map((it) => (
              <ItemRow
                key={it.id}
                item={it}
                onChanged={(i) => {
                  replace(i, it.id);
                  setAnnounce(`Saved “${i.item}”.`);
                }}
                onDone={(i) => {
                  replace(null, it.id);
                  setAnnounce(`Marked “${i.item}” as done.`);
                }}
              />
            ))}
          </ul>
        </section>
      ))}

      {cursor && (
        <button type="button" className="btn" data-testid="action-more" onClick={onMore} disabled={loadMore.pending}>
          {loadMore.pending ? 'Loading…' : 'Show more'}
        </button>
      )}
      <ErrorBox error={loadMore.error} title="Could not load more action items" />
    </div>
  );
}
