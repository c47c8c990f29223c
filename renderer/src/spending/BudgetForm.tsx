// The spending limits over every provider (a provider's own are on its form) and the estimate above
// which a batch asks before it is sent. Blank: none.
import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { amountText, parseAmount } from './limit-input';
import { LimitField } from './LimitField';

export function BudgetForm({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const s = model.config.settings;
  const [daily, setDaily] = useState<string | null>(null);
  const [monthly, setMonthly] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [bad, setBad] = useState<Set<string>>(new Set());
  // A field shows the setting as the core last said it until the user types in it.
  const shown = {
    daily: daily ?? amountText(s?.budget.dailyLimit),
    monthly: monthly ?? amountText(s?.budget.monthlyLimit),
    confirm: confirm ?? amountText(s?.batchConfirmAbove),
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const parsed = { daily: parseAmount(shown.daily), monthly: parseAmount(shown.monthly), confirm: parseAmount(shown.confirm) };
    const wrong = new Set(Object.entries(parsed).filter(([, p]) => !p.ok).map(([k]) => k));
    setBad(wrong);
    if (wrong.size > 0 || !parsed.daily.ok || !parsed.monthly.ok || !parsed.confirm.ok) return;
    model.config.updateSettings({ budget: { dailyLimit: parsed.daily.value, monthlyLimit: parsed.monthly.value }, batchConfirmAbove: parsed.confirm.value })
      .then(() => {
        setDaily(null);
        setMonthly(null);
        setConfirm(null);
        model.notices.toast('success', { text: t('budget.saved') });
      })
      .catch((err: unknown) => model.notices.reportError(err));
  };

  const field = (key: 'daily' | 'monthly' | 'confirm', label: string, set: (v: string) => void) => (
    <LimitField label={label} value={shown[key]} onChange={set} blank={t('budget.none')} error={bad.has(key) ? 'budget.errAmount' : null} />
  );

  return (
    <form className="card budget-form" onSubmit={save} noValidate aria-label={t('budget.title')}>
      <h2>{t('budget.title')}</h2>
      <p className="hint">{t('budget.hint')}</p>
      <div className="field-grid">
        {field('daily', t('budget.daily'), setDaily)}
        {field('monthly', t('budget.monthly'), setMonthly)}
        {field('confirm', t('budget.confirmAbove'), setConfirm)}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">{t('budget.save')}</button>
      </div>
    </form>
  );
}
