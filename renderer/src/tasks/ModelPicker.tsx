// The composer's model field. Given a provider's catalog (a list of models with the durations and
// sizes each allows), a select; without one (no catalog for this provider yet), a free text field as
// before, the provider's default applying when it is left empty. The catalog comes from the
// providers work (listModels); `catalogFor` is where it plugs in.
import type { ProviderView } from '@shared/contract/provider';
import { useI18n } from '../i18n';

/** A model the picker offers: what the composer needs of a catalog entry. */
export interface ModelChoice {
  id: string;
  label: string;
  /** Durations it takes, in seconds as text ("4", "8"); null or empty: not known. */
  seconds?: readonly string[] | null;
  /** Sizes it takes ("1280x720"); null or empty: not known. */
  sizes?: readonly string[] | null;
}

/** The models of a provider's catalog, or null when there is none (free entry). */
export function catalogFor(_provider: ProviderView | undefined): ModelChoice[] | null {
  return null;
}

interface Props {
  models: ModelChoice[] | null;
  value: string;
  onChange(value: string): void;
}

export function ModelPicker({ models, value, onChange }: Props) {
  const { t } = useI18n();
  if (!models || models.length === 0) {
    return (
      <label className="field">
        <span>{t('new.model')}</span>
        <input value={value} placeholder="sora-2" title={t('new.modelAny')} onChange={(e) => onChange(e.target.value)} />
      </label>
    );
  }
  // A model the catalog does not list (typed earlier, or from a remix) stays choosable.
  const listed = models.some((m) => m.id === value);
  return (
    <label className="field">
      <span>{t('new.model')}</span>
      <select value={value || models[0].id} onChange={(e) => onChange(e.target.value)}>
        {models.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        {value && !listed && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}
