// "Today $0.80 · This month $3.20": the task list's header and the Spending view. Several currencies are
// shown side by side, never added.
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { formatMoney } from '../tasks/cost';

function amounts(total: Record<string, number> | null, language: string): string {
  const parts = Object.entries(total ?? {}).filter(([, a]) => a > 0).map(([currency, a]) => formatMoney(a, currency, language));
  return parts.length ? parts.join(' + ') : formatMoney(0, 'USD', language);
}

export function SpendTotals({ model }: { model: AppModel }) {
  const { t, language } = useI18n();
  const { today, month } = model.spend;
  if (!today || !month) return null;
  const today$ = t('spend.today', { amount: amounts(today, language) });
  const month$ = t('spend.month', { amount: amounts(month, language) });
  return (
    <span className="spend-totals" data-testid="spend-totals" title={`${today$} · ${month$}`}>
      <span data-testid="spend-today">{today$}</span>
      <span aria-hidden="true"> · </span>
      <span data-testid="spend-month">{month$}</span>
    </span>
  );
}
