// Add or edit a provider, and (once saved) its models. The API key field is write-only: it never shows a
// stored key. A dialect brings its provider's own address as the default base URL.
import { type FormEvent, useState } from 'react';
import { DIALECT_INFO } from '@shared/contract/dialects';
import type { ProviderView } from '@shared/contract/provider';
import { DEFAULT_MAX_ACTIVE_JOBS, DIALECTS } from '@shared/contract/values';
import { amountText } from '../spending/limit-input';
import { LimitField } from '../spending/LimitField';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { type ModelRow, type RowErrors, toEntry, toRow, validateRow } from './catalog-rules';
import { ModelCatalogEditor } from './ModelCatalogEditor';
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
    // A new provider of one's own sends 2 jobs at once unless told otherwise; blank: no cap.
    maxActiveJobs: editing ? amountText(editing.maxActiveJobs) : String(DEFAULT_MAX_ACTIVE_JOBS),
    dailyLimit: amountText(editing?.budget?.dailyLimit),
    monthlyLimit: amountText(editing?.budget?.monthlyLimit),
  }));
  const [errors, setErrors] = useState<ProviderErrors>({});
  // The catalog as edited: undefined untouched (nothing sent), null back to the built-ins.
  const [rows, setRows] = useState<ModelRow[] | null | undefined>(undefined);
  const [rowErrors, setRowErrors] = useState<Record<string, RowErrors>>({});
  const shownRows = rows === undefined ? (editing?.models ?? []).map(toRow) : rows ?? [];
  const info = DIALECT_INFO[draft.dialect];
  const setDialect = (dialect: ProviderDraft['dialect']) => setDraft((d) => {
    // An empty address, or the old dialect's default, becomes the new dialect's default.
    const wasDefault = d.baseUrl.trim() === '' || d.baseUrl.trim() === DIALECT_INFO[d.dialect].defaultBaseUrl;
    return { ...d, dialect, baseUrl: wasDefault ? DIALECT_INFO[dialect].defaultBaseUrl ?? '' : d.baseUrl };
  });
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<ProviderDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateProvider(draft, editing);
    setErrors(found);
    const foundRows: Record<string, RowErrors> = {};
    if (rows) {
      rows.forEach((r, i) => {
        const e = validateRow(r, new Set(rows.slice(0, i).map((x) => x.id.trim())));
        if (Object.keys(e).length > 0) foundRows[r.key] = e;
      });
    }
    setRowErrors(foundRows);
    if (Object.keys(found).length > 0 || Object.keys(foundRows).length > 0) return;
    setSaving(true);
    try {
      await model.config.saveProvider({ ...toSavePayload(draft), ...(rows === undefined ? {} : { models: rows && rows.map(toEntry) }) });
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
          <select value={draft.dialect} onChange={(e) => setDialect(e.target.value as ProviderDraft['dialect'])}>
            {DIALECTS.map((d) => <option key={d} value={d}>{t(`dialect.${d}`)}</option>)}
          </select>
        </label>
        <div className="field field-wide">
          <label className="field-label"><span>{t('providers.baseUrl')}</span>
            <input value={draft.baseUrl} placeholder={info.defaultBaseUrl ?? 'https://api.example.com'} onChange={(e) => set({ baseUrl: e.target.value })} aria-invalid={Boolean(errors.baseUrl)} />
          </label>
          {err('baseUrl')}
          {info.defaultBaseUrl && <small className="hint">{t('providers.baseUrlDefault', { url: info.defaultBaseUrl })}</small>}
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
          <small className="hint">{t('providers.keyHeader', { header: info.keyHeader })}</small>
        </div>
        <div className="field">
          <label className="field-label"><span>{t('providers.rateLimit')}</span>
            <input value={draft.rateLimit} inputMode="numeric" onChange={(e) => set({ rateLimit: e.target.value })} aria-invalid={Boolean(errors.rateLimit)} />
          </label>
          {err('rateLimit')}
        </div>
        <LimitField label={t('providers.maxActiveJobs')} value={draft.maxActiveJobs ?? ''} onChange={(v) => set({ maxActiveJobs: v })} blank={t('providers.noCap')} error={errors.maxActiveJobs} inputMode="numeric" />
        <LimitField label={t('providers.dailyLimit')} value={draft.dailyLimit ?? ''} onChange={(v) => set({ dailyLimit: v })} blank={t('budget.none')} error={errors.dailyLimit} />
        <LimitField label={t('providers.monthlyLimit')} value={draft.monthlyLimit ?? ''} onChange={(v) => set({ monthlyLimit: v })} blank={t('budget.none')} error={errors.monthlyLimit} />
      </div>
      <p className={`provider-note${info.cancelsUpstream ? '' : ' provider-note-warn'}`}>
        {t(info.cancelsUpstream ? 'providers.cancelsUpstream' : 'providers.noUpstreamCancel')}
      </p>
      {editing ? (
        <ModelCatalogEditor
          model={model} providerId={editing.id} rows={shownRows} errors={rowErrors}
          onRows={setRows} onReset={() => { setRows(null); setRowErrors({}); }}
        />
      ) : <p className="hint">{t('models.saveFirst')}</p>}
      <div className="form-actions">
        {editing && <button type="button" className="btn btn-ghost" onClick={onDone}>{t('providers.cancelEdit')}</button>}
        <button type="submit" className="btn btn-primary" disabled={saving}>{t('providers.save')}</button>
      </div>
    </form>
  );
}
