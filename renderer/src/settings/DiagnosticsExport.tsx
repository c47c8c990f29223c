// Settings > Diagnostics: one zip for a bug report (logs, versions, settings, counts; never a key or a
// token). Prompts go in only when the box is ticked. The core writes it and says where.
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';

export function DiagnosticsExport({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const [includePrompts, setIncludePrompts] = useState(false);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<string | null>(null);

  const exportNow = () => {
    setBusy(true);
    model.client.request('exportDiagnostics', { includePrompts })
      .then((made) => setWritten(made.path))
      .catch((e: unknown) => model.notices.reportError(e))
      .finally(() => setBusy(false));
  };

  return (
    <section className="card settings-form diagnostics" aria-label={t('diagnostics.title')}>
      <h2>{t('diagnostics.title')}</h2>
      <p className="hint">{t('diagnostics.hint')}</p>
      <label className="check">
        <input type="checkbox" checked={includePrompts} onChange={(e) => setIncludePrompts(e.target.checked)} />
        <span>{t('diagnostics.includePrompts')}</span>
      </label>
      <div className="form-actions">
        <button type="button" className="btn" disabled={busy} onClick={exportNow}>{t('diagnostics.export')}</button>
      </div>
      {written && <p className="hint" role="status">{t('diagnostics.written')} <code className="diagnostics-path">{written}</code></p>}
    </section>
  );
}
