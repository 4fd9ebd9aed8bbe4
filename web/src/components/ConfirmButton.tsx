// A destructive button that asks first: the first press shows what will happen and a second,
// explicit "Yes" button (focused), with Cancel; Escape cancels too.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface Props {
  /** The button's text, e.g. "Revoke". */
  label: string;
  /** Accessible name of the first button when the label alone is ambiguous in a table. */
  ariaLabel?: string;
  /** What will happen, shown when asking. */
  message: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  testId: string;
  onConfirm: () => Promise<unknown> | void;
  small?: boolean;
}

export function ConfirmButton({ label, ariaLabel, message, confirmLabel, pendingLabel, pending, testId, onConfirm, small = true }: Props) {
  const [asking, setAsking] = useState(false);
  const yesRef = useRef<HTMLButtonElement>(null);
  const firstRef = useRef<HTMLButtonElement>(null);
  const labelId = useId();
  const size = small ? ' btn-small' : '';

  useEffect(() => {
    if (asking) yesRef.current?.focus();
  }, [asking]);

  const cancel = () => {
    setAsking(false);
    // Back to the button that opened the question (it renders again on the next frame).
    requestAnimationFrame(() => firstRef.current?.focus());
  };

  if (!asking) {
    return (
      <button type="button" ref={firstRef} className={`btn btn-danger-outline${size}`} data-testid={testId} aria-label={ariaLabel} onClick={() => setAsking(true)} disabled={pending}>
        {label}
      </button>
    );
  }
  return (
    <div
      className="confirm confirm-inline"
      role="group"
      aria-labelledby={labelId}
      data-testid={`${testId}-question`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <span id={labelId}>{message}</span>
      <button
        type="button"
        ref={yesRef}
        className={`btn btn-danger${size}`}
        data-testid={`${testId}-confirm`}
        disabled={pending}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
      >
        {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
      </button>
      <button type="button" className={`btn${size}`} data-testid={`${testId}-cancel`} onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
