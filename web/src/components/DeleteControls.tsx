// Delete with an inline confirmation step (the deletion itself can be undone).
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import { ErrorBox } from './ErrorBox';

export function DeleteControls({ conversationId, onDeleted }: { conversationId: string; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const del = useAction(() => api.deleteConversation(conversationId));

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const onConfirm = async () => {
    const r = await del.run();
    if (r) {
      setConfirming(false);
      onDeleted();
    }
  };

  return (
    <div className="delete-controls">
      {!confirming ? (
        <button
          type="button"
          className="btn btn-danger-outline"
          data-testid="delete-button"
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      ) : (
        <div className="confirm" role="group" aria-labelledby="delete-confirm-label">
          <span id="delete-confirm-label">Delete this conversation? You can undo right after.</span>
          <button
            type="button"
            ref={confirmRef}
            className="btn btn-danger"
            data-testid="delete-confirm"
            onClick={onConfirm}
            disabled={del.pending}
          >
            {del.pending ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button type="button" className="btn" data-testid="delete-cancel" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorBox error={del.error} title="Could not delete" onDismiss={del.clearError} />
    </div>
  );
}
