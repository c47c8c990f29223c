// A provider's models in the provider form: edit an entry's durations, sizes and price, add one, remove
// one, take in the models the provider lists itself, or go back to the built-in entries.
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { emptyRow, type ModelRow, type RowErrors, toRow } from './catalog-rules';

interface Props {
  model: AppModel;
  providerId: string;
  rows: ModelRow[];
  errors: Record<string, RowErrors>;
  onRows(rows: ModelRow[]): void;
  /** Back to the dialect's built-in entries (applied on save). */
  onReset(): void;
}

export function ModelCatalogEditor({ model, providerId, rows, errors, onRows, onReset }: Props) {
  const { t } = useI18n();
  const [loading, setLoading] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const change = (key: string, patch: Partial<ModelRow>) => onRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const load = () => {
    setLoading(true);
    setNote(null);
    model.config.listModels(providerId)
      .then(({ models, listError }) => {
        const have = new Set(rows.map((r) => r.id.trim()));
        const added = models.filter((m) => !have.has(m.id)).map(toRow);
        onRows([...rows, ...added]);
        setNote(listError ? t('models.listError', { message: listError }) : t('models.loaded', { n: added.length }));
      })
      .catch((e: unknown) => model.notices.reportError(e))
      .finally(() => setLoading(false));
  };

  const err = (key: string, field: keyof RowErrors) => {
    const e = errors[key]?.[field];
    return e ? <span className="field-error" role="alert">{t(e)}</span> : null;
  };
  const text = (r: ModelRow, field: 'id' | 'label' | 'seconds' | 'sizes' | 'price' | 'currency', label: string, placeholder?: string) => (
    <div className="field">
      <label className="field-label"><span>{label}</span>
        <input value={r[field]} placeholder={placeholder} aria-invalid={Boolean(errors[r.key]?.[field as keyof RowErrors])} onChange={(e) => change(r.key, { [field]: e.target.value })} />
      </label>
      {field !== 'label' && err(r.key, field)}
    </div>
  );

  return (
    <section className="catalog" aria-label={t('models.title')}>
      <div className="catalog-head">
        <h3>{t('models.title')}</h3>
        <div className="task-actions">
          <button type="button" className="btn btn-sm btn-secondary" onClick={load} disabled={loading} aria-busy={loading}>
            {loading ? t('models.loading') : t('models.load')}
          </button>
          <button type="button" className="btn btn-sm btn-ghost" onClick={onReset}>{t('models.reset')}</button>
        </div>
      </div>
      {note && <p className="hint" role="status">{note}</p>}
      {rows.length === 0 && <p className="hint">{t('models.none')}</p>}
      <ul className="catalog-rows">
        {rows.map((r) => (
          <li key={r.key} className="catalog-row" aria-label={r.label || r.id || t('models.add')}>
            {text(r, 'id', t('models.id'))}
            {text(r, 'label', t('models.label'))}
            {text(r, 'seconds', t('models.seconds'), '4, 8, 12 / 4-15')}
            {text(r, 'sizes', t('models.sizes'), '1280x720, 720x1280')}
            {text(r, 'price', t('models.price'), t('models.priceUnknown'))}
            {text(r, 'currency', t('models.currency'))}
            <div className="row-actions">
              <label className="check"><input type="checkbox" checked={r.image} onChange={(e) => change(r.key, { image: e.target.checked })} /> {t('models.image')}</label>
              <button type="button" className="btn btn-sm btn-ghost btn-danger-text" onClick={() => onRows(rows.filter((x) => x.key !== r.key))}>{t('models.remove')}</button>
            </div>
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="btn btn-sm btn-secondary" onClick={() => onRows([...rows, emptyRow()])}>{t('models.add')}</button>
      </div>
    </section>
  );
}
