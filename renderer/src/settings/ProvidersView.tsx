// Providers: cards with their key hint, Test connection, Edit, Delete; and the add/edit form.
import { useState } from 'react';
import { DIALECT_INFO } from '@shared/contract/dialects';
import type { ProviderView } from '@shared/contract/provider';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { type Ask, useAsk } from '../ui/AskDialog';
import { ProviderForm } from './ProviderForm';

function ProviderCard({ model, provider, onEdit, ask }: { model: AppModel; provider: ProviderView; onEdit(): void; ask: Ask }) {
  const { t } = useI18n();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const isDefault = model.config.settings?.defaultProviderId === provider.id;
  const test = () => {
    setTesting(true);
    setResult(null);
    model.config.testProvider(provider.id)
      .then((r) => setResult({ ok: r.ok, message: r.message }))
      .catch((e: unknown) => setResult({ ok: false, message: e instanceof Error ? e.message : String(e) }))
      .finally(() => setTesting(false));
  };
  // The app's own modal, like task Delete: window.confirm is a blocking browser box Electron styles badly.
  const remove = async () => {
    const answer = await ask({ title: t('providers.deleteTitle', { name: provider.name }), body: t('providers.deleteBody'), danger: true });
    if (answer !== null) await model.config.deleteProvider(provider.id).catch((e: unknown) => model.notices.reportError(e));
  };
  return (
    <li className="card provider-card" aria-label={provider.name}>
      <div className="provider-head">
        <strong>{provider.name}</strong>
        <span className="pill" title={t(`dialect.${provider.dialect}`)}>{provider.dialect}</span>
        {provider.builtIn && <span className="pill pill-info">{t('providers.builtIn')}</span>}
        {isDefault && <span className="pill pill-completed">{t('providers.default')}</span>}
      </div>
      <dl className="provider-facts">
        <dt>{t('providers.baseUrl')}</dt><dd className="mono">{provider.baseUrl}</dd>
        <dt>{t('providers.apiKey')}</dt><dd className="mono">{provider.hasApiKey ? `•••• ${provider.apiKeyHint ?? ''}` : t('providers.noKey')}</dd>
        {provider.rateLimitPerMinute && (<><dt>{t('providers.rateLimit')}</dt><dd>{t('providers.perMinute', { n: provider.rateLimitPerMinute })}</dd></>)}
        <dt>{t('models.title')}</dt>
        <dd title={provider.models.map((m) => m.label).join(', ')}>{t('providers.modelCount', { n: provider.models.length })}</dd>
      </dl>
      <p className={`provider-note${DIALECT_INFO[provider.dialect].cancelsUpstream ? '' : ' provider-note-warn'}`}>
        {t(DIALECT_INFO[provider.dialect].cancelsUpstream ? 'providers.cancelsUpstream' : 'providers.noUpstreamCancel')}
      </p>
      {result && <p className={result.ok ? 'test-ok' : 'test-fail'} role="status">{result.ok ? '✓ ' : '✕ '}{result.message}</p>}
      <div className="task-actions">
        <button type="button" className="btn btn-sm btn-secondary" onClick={test} disabled={testing} aria-busy={testing}>
          {testing ? t('providers.testing') : t('providers.test')}
        </button>
        {!provider.builtIn && <button type="button" className="btn btn-sm btn-ghost" onClick={onEdit}>{t('providers.edit')}</button>}
        {!provider.builtIn && <button type="button" className="btn btn-sm btn-ghost btn-danger-text" onClick={() => void remove()}>{t('providers.delete')}</button>}
      </div>
    </li>
  );
}

export function ProvidersView({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<ProviderView | null>(null);
  const { ask, dialog } = useAsk();
  // A new form after every save, so a typed key never lingers in the (write-only) field.
  const [formRound, setFormRound] = useState(0);
  const done = () => {
    setEditing(null);
    setFormRound((n) => n + 1);
  };
  return (
    <div className="page">
      <header className="toolbar"><h1>{t('providers.title')}</h1></header>
      <div className="page-body two-col">
        <ul className="provider-list">
          {model.config.providers.map((p) => <ProviderCard key={p.id} model={model} provider={p} onEdit={() => setEditing(p)} ask={ask} />)}
        </ul>
        <ProviderForm key={`${editing?.id ?? 'new'}-${formRound}`} model={model} editing={editing} onDone={done} />
      </div>
      {dialog}
    </div>
  );
}
