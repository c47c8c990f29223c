// Add or edit a provider. The API key field is write-only: it never shows a stored key.
import { type FormEvent, useState } from 'react';
import type { ProviderView } from '@shared/contract/provider';
import { DIALECTS } from '@shared/contract/values';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { keyNeededForNewOrigin, type ProviderDraft, type ProviderErrors, toSavePayload, validateProvider } from './provider-rules';

export function ProviderForm({ model, editing, onDone }: { model: AppModel; editing: ProviderView | null; onDone(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ProviderDraft>(() => ({
    id: editing?.id,
    name: editing?.name ?? '',
    dialect: editing?.dialect ?? 'openai',
    baseUrl: editing?.baseUrl ?? '',
    apiKey: '',
    rateLimit: editing?.rateLimitPerMinute ? String(editing.rateLimitPerMinute) : '',
  }));
  const [errors, setErrors] = useState<ProviderErrors>({});
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<ProviderDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateProvider(draft, editing);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      await model.config.saveProvider(toSavePayload(draft));
      model.notices.toast('success', { text: t('providers.saved') });
      onDone();
    } catch (err) {
      model.notices.reportError(err);
    } finally {
      setSaving(false);
    }
  };

  const err = (field: keyof ProviderErrors) => (errors[field] ? <span className="field-error" role="alert">{t(errors[field])}</span> : null);
  const keyHint = editing?.hasApiKey ? `•••• ${editing.apiKeyHint ?? ''}`.trim() : '';
  // The saved key stays with the old address: a new origin needs its key typed in (provider-rules.ts).
  const newOrigin = keyNeededForNewOrigin(draft, editing);

  return (
    <form className="card provider-form" onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? t('providers.edit') : t('providers.add')}>
      <h2>{editing ? `${t('providers.edit')}: ${editing.name}` : t('providers.add')}</h2>
      <div className="field-grid">
        <div className="field">
          <label className="field-label"><span>{t('providers.name')}</span>
            <input value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={Boolean(errors.name)} />
          </label>
          {err('name')}
        </div>
        <label className="field"><span>{t('providers.dialect')}</span>
          <select value={draft.dialect} onChange={(e) => set({ dialect: e.target.value as ProviderDraft['dialect'] })}>
            {DIALECTS.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <div className="field field-wide">
          <label className="field-label"><span>{t('providers.baseUrl')}</span>
            <input value={draft.baseUrl} placeholder="https://api.example.com" onChange={(e) => set({ baseUrl: e.target.value })} aria-invalid={Boolean(errors.baseUrl)} />
          </label>
          {err('baseUrl')}
        </div>
        <div className="field field-wide">
          <label className="field-label"><span>{t('providers.apiKey')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={draft.apiKey}
              placeholder={newOrigin ? t('providers.apiKeyForNewOrigin') : keyHint ? `${keyHint} — ${t('providers.apiKeyKeep')}` : ''}
              onChange={(e) => set({ apiKey: e.target.value })}
              aria-invalid={Boolean(errors.apiKey)}
            />
          </label>
          {err('apiKey')}
        </div>
        <div className="field">
          <label className="field-label"><span>{t('providers.rateLimit')}</span>
            <input value={draft.rateLimit} inputMode="numeric" onChange={(e) => set({ rateLimit: e.target.value })} aria-invalid={Boolean(errors.rateLimit)} />
          </label>
          {err('rateLimit')}
        </div>
      </div>
      <div className="form-actions">
        {editing && <button type="button" className="btn btn-ghost" onClick={onDone}>{t('providers.cancelEdit')}</button>}
        <button type="submit" className="btn btn-primary" disabled={saving}>{t('providers.save')}</button>
      </div>
    </form>
  );
}
