// Copies text with the Clipboard API, falling back to a hidden textarea + execCommand.
import { useEffect, useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the legacy path */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.top = '-1000px';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

interface Props {
  text: string;
  label?: string;
  /** Accessible name when the visible label is generic. */
  ariaLabel?: string;
  testId?: string;
}

export function CopyButton({ text, label = 'Copy', ariaLabel, testId }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(t);
  }, [state]);

  return (
    <span className="copy">
      <button
        type="button"
        className="btn btn-small"
        data-testid={testId}
        aria-label={ariaLabel}
        onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
      >
        {label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it manually' : ''}
      </span>
    </span>
  );
}
