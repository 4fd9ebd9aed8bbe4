// An inline progress indicator announced to screen readers.
export function Busy({ label, testId }: { label: string; testId?: string }) {
  return (
    <p className="busy" role="status" data-testid={testId}>
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
