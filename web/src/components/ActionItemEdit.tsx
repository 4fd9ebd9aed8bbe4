// Owner and due date of a tracked action item, edited in place (PATCH /action-items/{id}).
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import type { TrackedActionItem } from '../types';
import { ErrorBox } from './ErrorBox';

export function ActionItemEdit({ item, onSaved, onCancel }: { item: TrackedActionItem; onSaved: (i: TrackedActionItem) => void; onCancel: () => void }) {
  const [owner, setOwner] = useState(item.owner ?? '');
  const [due, setDue] = useState(item.dueDate ?? '');
  const save = useAction(() => api.updateActionItem(item.id, { owner: owner.trim() || null, dueDate: due || null }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await save.run();
    if (r) onSaved(r);
  };
  return (
    <form className="action-edit" onSubmit={onSubmit} data-testid={`action-edit-${item.id}`}>
      <div className="field">
        <label htmlFor={`owner-${item.id}`}>Owner</label>
        <input id={`owner-${item.id}`} data-testid="action-owner-input" value={owner} maxLength={200} onChange={(e) => setOwner(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`due-${item.id}`}>Due date</label>
        <input id={`due-${item.id}`} data-testid="action-due-input" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="btn btn-primary btn-small" data-testid="action-save" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorBox error={save.error} title="Could not save" />
    </form>
  );
}

