// The conversation title as an editable field: Enter or leaving the field saves, Escape reverts.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import { ErrorBox } from './ErrorBox';

interface Props {
  conversationId: string;
  title: string | null;
  disabled?: boolean;
  onSaved: (title: string) => void;
}

export function TitleEditor({ conversationId, title, disabled, onSaved }: Props) {
  const [value, setValue] = useState(title ?? '');
  const [saved, setSaved] = useState(false);
  const inFlight = useRef(false);
  const save = useAction((t: string) => api.renameConversation(conversationId, t));

  useEffect(() => setValue(title ?? ''), [title]);

  const commit = async () => {
    const next = value.trim();
    if (inFlight.current) return;
    if (!next) {
      setValue(title ?? '');
      return;
    }
    if (next === (title ?? '')) return;
    inFlight.current = true;
    setSaved(false);
    const r = await save.run(next);
    inFlight.current = false;
    if (r) {
      onSaved(typeof r.title === 'string' ? r.title : next);
      setSaved(true);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void commit();
    } else if (e.key === 'Escape') {
      setValue(title ?? '');
      save.clearError();
    }
  };

  return (
    <div className="title-editor">
      <h1 className="sr-only">{title || 'Untitled conversation'}</h1>
      <label htmlFor="title-edit" className="sr-only">
        Conversation title (press Enter to save)
      </label>
      <input
        id="title-edit"
        data-testid="title-edit"
        className="title-input"
        type="text"
        value={value}
        placeholder="Untitled conversation"
        disabled={disabled}
        onChange={(e) => {
          setValue(e.target.value);
          setSaved(false);
        }}
        onBlur={() => void commit()}
        onKeyDown={onKeyDown}
        aria-describedby="title-status"
      />
      <span id="title-status" className="small muted" role="status" data-testid="title-status">
        {save.pending ? 'Saving…' : saved ? 'Title saved' : ''}
      </span>
      <ErrorBox error={save.error} title="Could not rename" onDismiss={save.clearError} />
    </div>
  );
}
