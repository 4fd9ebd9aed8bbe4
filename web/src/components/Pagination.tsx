// Previous / next paging with an "x–y of total" summary.
import type { Pagination as PageInfo } from '../types';

interface Props {
  page: PageInfo;
  shown: number;
  onOffset: (offset: number) => void;
  disabled?: boolean;
}

export function Pagination({ page, shown, onOffset, disabled }: Props) {
  const { total, limit, offset } = page;
  const from = total === 0 || shown === 0 ? 0 : offset + 1;
  const to = offset + shown;
  const hasPrev = offset > 0;
  const hasNext = offset + shown < total;
  return (
    <nav className="pagination" aria-label="Pagination">
      <button
        type="button"
        className="btn"
        data-testid="pagination-prev"
        onClick={() => onOffset(Math.max(0, offset - limit))}
        disabled={disabled || !hasPrev}
      >
        ← Previous
      </button>
      <span data-testid="pagination-summary" aria-live="polite">
        {from}–{to} of {total}
      </span>
      <button
        type="button"
        className="btn"
        data-testid="pagination-next"
        onClick={() => onOffset(offset + limit)}
        disabled={disabled || !hasNext}
      >
        Next →
      </button>
    </nav>
  );
}
