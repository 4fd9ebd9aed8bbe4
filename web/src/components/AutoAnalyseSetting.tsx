// "Analyse new conversations automatically": key points are generated right after an import, so a
// new conversation does not open on an empty page. On by default where credits are unlimited, off
// where they are limited; the cost is shown beside it.
import { creditsLeftText, useAutoAnalyse, useCredits } from '../credits';

export function AutoAnalyseToggle({ id = 'auto-analyse' }: { id?: string }) {
  const auto = useAutoAnalyse();
  const left = creditsLeftText(useCredits());
  if (auto.on === null) return null;
  return (
    <div className="auto-analyse">
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" data-testid="auto-analyse" checked={auto.on} onChange={(e) => auto.set(e.target.checked)} aria-describedby={`${id}-cost`} />
        Analyse new conversations automatically
      </label>
      <p id={`${id}-cost`} className="small muted" data-testid="auto-analyse-cost">
        Generates key points after each import: 1 AI credit per conversation{left ? ` (${left})` : ''}.
        {!auto.chosen && ' Default for your plan.'}
      </p>
    </div>
  );
}

export function AnalysisSettingsSection() {
  return (
    <section className="panel" id="analysis" aria-labelledby="analysis-heading">
      <div className="panel-head">
        <h2 id="analysis-heading">Analysis</h2>
      </div>
      <AutoAnalyseToggle id="auto-analyse-settings" />
      <p className="small muted">This choice is kept in this browser.</p>
    </section>
  );
}
