// The composer's model, duration and size, from the provider's catalog: a model in it offers only its
// durations (at the chosen size) and sizes, with its price; "Other model…" (or a provider with no catalog)
// takes an id as typed, with free fields and "price unknown".
import type { ModelEntry } from '@shared/contract/model';
import { useI18n } from '../i18n';
import { type DraftErrors } from './task-form-rules';
import { formatMoney, offerFor, quote } from './model-choice';

/** The select's value for "Other model…" (no model id can be empty). */
const OTHER = '';

export interface ModelDraft {
  model: string;
  /** Typing a model id rather than picking one from the catalog. */
  otherModel: boolean;
  seconds: string;
  size: string;
}

/** The model a draft goes to: the one picked, the one typed, or the catalog's first (its default). */
export function chosenModel(catalog: readonly ModelEntry[], d: ModelDraft): { id: string; entry: ModelEntry | null } {
  const id = d.otherModel || catalog.length === 0 ? d.model.trim() : catalog.some((m) => m.id === d.model) ? d.model : catalog[0].id;
  return { id, entry: catalog.find((m) => m.id === id) ?? null };
}

interface Props {
  catalog: readonly ModelEntry[];
  draft: ModelDraft;
  errors: DraftErrors;
  idPrefix: string;
  onChange(patch: Partial<ModelDraft>): void;
}

export function ModelFields({ catalog, draft, errors, idPrefix, onChange }: Props) {
  const { t, language } = useI18n();
  const { id: modelId, entry } = chosenModel(catalog, draft);
  const offer = offerFor(entry, draft.size);
  const price = quote(entry, draft.seconds, draft.size);
  const money = (n: number) => formatMoney(n, price?.currency ?? 'USD', language);
  const err = (field: keyof DraftErrors) =>
    errors[field] ? <span className="field-error" id={`${idPrefix}-${field}-err`} role="alert">{t(errors[field])}</span> : null;
  const typing = draft.otherModel || catalog.length === 0;

  return (
    <>
      <label className="field">
        <span>{t('new.model')}</span>
        {catalog.length > 0 ? (
          <select value={draft.otherModel ? OTHER : modelId} onChange={(e) => onChange({ model: e.target.value, otherModel: e.target.value === OTHER })}>
            {catalog.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
            <option value={OTHER}>{t('new.modelOther')}</option>
          </select>
        ) : (
          <input value={draft.model} placeholder={t('new.modelDefault')} onChange={(e) => onChange({ model: e.target.value })} />
        )}
      </label>
      {typing && catalog.length > 0 && (
        <label className="field">
          <span>{t('new.modelId')}</span>
          <input value={draft.model} placeholder={t('new.modelDefault')} onChange={(e) => onChange({ model: e.target.value })} />
        </label>
      )}
      <div className="field">
        <label className="field-label">
          <span>{t('new.seconds')}</span>
          {offer.durations ? (
            <select value={draft.seconds} onChange={(e) => onChange({ seconds: e.target.value })}>
              {offer.durations.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          ) : (
            <input value={draft.seconds} inputMode="numeric" aria-invalid={Boolean(errors.seconds)} onChange={(e) => onChange({ seconds: e.target.value })} />
          )}
        </label>
        {err('seconds')}
      </div>
      <div className="field">
        <label className="field-label">
          <span>{t('new.size')}</span>
          {offer.sizes ? (
            <select value={draft.size} onChange={(e) => onChange({ size: e.target.value })}>
              {offer.sizes.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          ) : (
            <input value={draft.size} aria-invalid={Boolean(errors.size)} onChange={(e) => onChange({ size: e.target.value })} />
          )}
        </label>
        {err('size')}
      </div>
      <p className="hint field-wide composer-price" role="status" aria-label={t('new.price')}>
        {price
          ? `${t('new.pricePerSecond', { price: money(price.perSecond) })}${price.total != null ? ` · ${t('new.priceTotal', { total: money(price.total) })}` : ''}`
          : t('new.priceUnknown')}
      </p>
    </>
  );
}
