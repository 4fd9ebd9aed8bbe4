// "Analyse new conversations automatically": the server generates key points for each new
// conversation (created with a transcript, imported, or completed), so it does not open on an empty
// page. A setting of the account, kept on the server: on by default where credits are unlimited,
// off where they are limited; the cost is shown beside it.
import { creditsLeftText, useAutoAnalyse, useCredits } from '../credits';
import { useAction } from '../hooks';
import { ErrorBox } from './ErrorBox';

export function AutoAnalyseToggle({ id = 'auto-analyse' }: { id?: string }) {
  const auto = useAutoAnalyse();
  const left = creditsLeftText(useCredits());
  const save = useAction((on: boolean) => auto.set(on));
  if (auto.on === null) return null;
  return (
    <div className="auto-analyse" aria-busy={save.pending}>
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          data-testid="auto-analyse"
          checked={auto.on}
          disabled={save.pending}
          onChange={(e) => void save.run(e.target.checked)}
          aria-describedby={`${id}-cost`}
        />
        Analyse new conversations automatically
      </label>
      <p id={`${id}-cost`} className="small muted" data-testid="auto-analyse-cost">
        Generates key points for each new conversation: 1 AI credit per conversation{left ? ` (${left})` : ''}, skipped when no credits are left.
        {!auto.chosen && ' Default for your plan.'}
      </p>
      <ErrorBox error={save.error} title="Could not save the setting" onDismiss={save.clearError} />
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
      <p className="small muted">Applies to conversations created through the API and imports too, from any browser.</p>
    </section>
  );
}
