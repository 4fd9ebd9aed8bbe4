// Category scores (0–10) as a horizontal bar chart in inline SVG, with a data table.
import { useId } from 'react';
import { formatNumber } from '../format';
import type { CategoryScores } from '../types';

const categories: [keyof CategoryScores, string][] = [
  ['clarity', 'Clarity'],
  ['listening', 'Listening'],
  ['timeManagement', 'Time management'],
  ['collaboration', 'Collaboration'],
  ['decisionMaking', 'Decision making'],
];

const ROW = 30;
const LABEL_W = 128;
const BAR_W = 160;
const WIDTH = LABEL_W + BAR_W + 44;

export function ScoreBars({ scores }: { scores: CategoryScores }) {
  const id = useId();
  const rows = categories.map(([key, label]) => ({ label, value: Math.max(0, Math.min(10, Number(scores[key]) || 0)) }));
  const height = rows.length * ROW + 6;
  const description = rows.map((r) => `${r.label} ${formatNumber(r.value)} out of 10`).join(', ');

  return (
    <figure className="chart" data-testid="category-scores-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        className="chart-svg chart-bars"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
      >
        <title id={`${id}-t`}>Category scores</title>
        <desc id={`${id}-d`}>{description}</desc>
        {rows.map((r, i) => {
          const y = i * ROW + 6;
          return (
            <g key={r.label}>
              <text x={0} y={y + 15} className="chart-label">
                {r.label}
              </text>
              <rect x={LABEL_W} y={y + 2} width={BAR_W} height={18} rx={3} className="chart-track" />
              <rect x={LABEL_W} y={y + 2} width={(BAR_W * r.value) / 10} height={18} rx={3} className="chart-bar" />
              <text x={LABEL_W + BAR_W + 6} y={y + 15} className="chart-value">
                {formatNumber(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>Scores per category, out of 10.</figcaption>
      <details className="chart-table">
        <summary>Category scores as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Score (of 10)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{formatNumber(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
