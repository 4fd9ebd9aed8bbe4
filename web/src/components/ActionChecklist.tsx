// A conversation's action items as a checklist: ticking one marks it done in /action-items (and
// unticking reopens it); owner and due date are edited in place. Items the API does not track
// (key points stored without ids) are listed read-only.
import { useState } from 'react';
import { api } from '../api';
import { formatCalendarDate, humanize } from '../format';
import { useAction, useAsync } from '../hooks';
import type { ActionItem, TrackedActionItem } from '../types';
import { ActionItemEdit } from './ActionItemEdit';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';

async function trackedOf(conversationId: string, signal: AbortSignal): Promise<Map<string, TrackedActionItem>> {
  const pages = await Promise.all(
    (['open', 'done'] as const).map((status) => api.listActionItems({ status, conversationId, limit: 100 }, signal)),
  );
  return new Map(pages.flatMap((p) => p.data).map((i) => [i.id, i]));
}

function Row({ item, tracked, onChange }: { item: ActionItem; tracked?: TrackedActionItem; onChange: (i: TrackedActionItem) => void }) {
  const [editing, setEditing] = useState(false);
  const toggle = useAction((done: boolean) => api.updateActionItem(tracked!.id, { status: done ? 'done' : 'open' }));
  const owner = tracked ? tracked.owner : item.owner;
  const due = tracked ? tracked.dueDate : item.dueDate;
  // Ticked at once; back as it was if the server refuses.
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const done = optimistic ?? tracked?.status === 'done';
  const id = `kp-action-${tracked?.id ?? item.item.slice(0, 20)}`;
  return (
    <li className={`action-row${done ? ' action-done' : ''}`} data-testid="kp-action-item" data-status={optimistic === null ? (tracked?.status ?? 'untracked') : 'saving'}>
      {tracked && (
        <input
          type="checkbox"
          id={id}
          className="action-check"
          data-testid="kp-action-check"
          checked={done}
          disabled={toggle.pending}
          onChange={async (e) => {
            setOptimistic(e.target.checked);
            const r = await toggle.run(e.target.checked);
            if (r) onChange(r);
            setOptimistic(null);
          }}
        />
      )}
      <div className="action-body">
        {tracked ? (
          <label htmlFor={id} className="action-text">
            {item.item}
          </label>
        ) : (
          <span className="action-text">{item.item}</span>
        )}
        <div className="conv-meta">
          <span data-testid="kp-action-owner">{owner || 'No owner'}</span>
          <span>{due ? `Due ${formatCalendarDate(due)}` : 'No due date'}</span>
          {item.priority && <span className={`badge badge-priority-${item.priority}`}>{humanize(item.priority)}</span>}
          {tracked && (
            <button type="button" className="btn btn-ghost btn-small" data-testid="kp-action-edit" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
              Edit<span className="sr-only"> owner and due date of “{item.item}”</span>
            </button>
          )}
        </div>
        <EvidenceLinks evidence={item.evidence} />
        {editing && tracked && (
          <ActionItemEdit
            item={tracked}
            onCancel={() => setEditing(false)}
            onSaved={(i) => {
              onChange(i);
              setEditing(false);
            }}
          />
        )}
        <ErrorBox error={toggle.error} title="Could not update the action item" onDismiss={toggle.clearError} />
      </div>
    </li>
  );
}

export function ActionChecklist({ conversationId, items, version }: { conversationId: string; items: ActionItem[]; version: string }) {
  const tracked = useAsync((signal) => trackedOf(conversationId, signal), [conversationId, version]);
  const [changed, setChanged] = useState<Record<string, TrackedActionItem>>({});
  if (items.length === 0) return <p className="muted">No action items.</p>;
  const done = items.filter((a) => a.id && (changed[a.id] ?? tracked.data?.get(a.id))?.status === 'done').length;
  return (
    <>
      <p className="small muted" data-testid="kp-action-progress">
        {done} of {items.length} done
      </p>
      <ul className="action-checklist" data-testid="keypoints-action-items">
        {items.map((a, i) => (
          <Row
            key={a.id ?? i}
            item={a}
            tracked={a.id ? (changed[a.id] ?? tracked.data?.get(a.id)) : undefined}
            onChange={(t) => setChanged((prev) => ({ ...prev, [t.id]: t }))}
          />
        ))}
      </ul>
      <ErrorBox error={tracked.error} title="Could not load the action items' status" />
    </>
  );
}
