// Follow a job created elsewhere (another tool, the provider's console) by its upstream id.
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';

export function TrackTaskForm({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const [externalId, setExternalId] = useState('');
  const [providerId, setProviderId] = useState('');
  const [error, setError] = useState(false);
  const provider = providerId || model.config.settings?.defaultProviderId || model.config.providers[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!externalId.trim()) return setError(true);
    setError(false);
    try {
      await model.tasks.trackTask({ providerId: provider, externalId: externalId.trim() });
      setExternalId('');
    } catch (err) {
      model.notices.reportError(err);
    }
  };

  return (
    <details className="card tracker">
      <summary>{t('track.title')}</summary>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label className="field-label">
            <span>{t('track.externalId')}</span>
            <input value={externalId} placeholder="video_…" aria-invalid={error} onChange={(e) => setExternalId(e.target.value)} />
          </label>
          {error && <span className="field-error" role="alert">{t('track.errId')}</span>}
        </div>
        <label className="field">
          <span>{t('new.provider')}</span>
          <select value={provider} onChange={(e) => setProviderId(e.target.value)}>
            {model.config.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <button type="submit" className="btn btn-secondary">{t('track.submit')}</button>
      </form>
    </details>
  );
}
