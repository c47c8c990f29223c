// One number field of the limit and cap forms: blank means "none"; an error under it when it does not read.
import type { MessageKey } from '../i18n';
import { useI18n } from '../i18n';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  /** What blank means, shown as the placeholder. */
  blank: string;
  error: MessageKey | null | undefined;
  inputMode?: 'numeric' | 'decimal';
}

export function LimitField({ label, value, onChange, blank, error, inputMode = 'decimal' }: Props) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label className="field-label"><span>{label}</span>
        <input value={value} inputMode={inputMode} placeholder={blank} onChange={(e) => onChange(e.target.value)} aria-invalid={Boolean(error)} />
      </label>
      {error && <span className="field-error" role="alert">{t(error)}</span>}
    </div>
  );
}
