// Spending: what was spent today and this month, a bar a day for the last 30 days stacked by provider,
// this month by provider and by model, and the limits. All of it is the core's getSpend, which sums
// the stored tasks' costs; jobs in flight count with their estimates (reserved).
import { useEffect, useState } from 'react';
import type { Spend } from '@shared/contract/cost';
import { startOfLocalMonth } from '@shared/contract/cost-rules';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { formatMoney } from '../tasks/cost';
import { BudgetForm } from './BudgetForm';
import { spendChart } from './spend-chart';
import { SpendTotals } from './SpendTotals';

const DAYS = 30;
/** Colours for the providers' parts of a bar, in order. */
const PALETTE = ['#4f7cff', '#f29d38', '#3fb27f', '#c0569a', '#8b6cf0', '#d9534f', '#2bb3c0'];

export function SpendingView({ model }: { model: AppModel }) {
  const { t, language } = useI18n();
  const [days, setDays] = useState<Spend | null>(null);
  const [byProvider, setByProvider] = useState<Spend | null>(null);
  const [byModel, setByModel] = useState<Spend | null>(null);
  const today = model.spend.today;

  // Read again whenever the header's totals moved (a job started or ended).
  useEffect(() => {
    let live = true;
    const month = startOfLocalMonth(Date.now());
    Promise.all([model.spend.byDay(DAYS), model.spend.by('provider', month), model.spend.by('model', month)])
      .then(([d, p, m]) => {
        if (!live) return;
        setDays(d);
        setByProvider(p);
        setByModel(m);
      })
      .catch((e: unknown) => model.notices.reportError(e));
    return () => {
      live = false;
    };
  }, [model, today]);

  const chart = days ? spendChart(days, DAYS, Date.now()) : null;
  const color = (providerId: string) => PALETTE[(chart?.providers.indexOf(providerId) ?? 0) % PALETTE.length];
  const nameOf = (providerId: string) => model.config.providers.find((p) => p.id === providerId)?.name ?? providerId;
  const money = (amount: number, currency: string | null) => (currency ? formatMoney(amount, currency, language) : String(amount));

  const table = (title: string, spend: Spend | null, label: (key: string) => string) => (
    <section className="card spend-table" aria-label={title}>
      <h2>{title}</h2>
      {spend && spend.rows.length > 0 ? (
        <table>
          <thead><tr><th>{t('spend.key')}</th><th>{t('spend.tasks')}</th><th>{t('spend.amount')}</th></tr></thead>
          <tbody>
            {[...spend.rows].sort((a, b) => b.amount - a.amount).map((r) => (
              <tr key={`${r.key}|${r.currency}`}><td>{label(r.key) || t('spend.noModel')}</td><td>{r.tasks}</td><td>{money(r.amount, r.currency)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p className="hint">{t('spend.nothing')}</p>}
    </section>
  );

  return (
    <div className="page spending">
      <header className="toolbar">
        <h1>{t('nav.spending')}</h1>
        <SpendTotals model={model} />
      </header>
      <div className="page-body">
        <section className="card spend-chart-card" aria-label={t('spend.chart')}>
          <h2>{t('spend.chart')}</h2>
          {chart && (
            <>
              <div className="spend-chart" role="list">
                {chart.bars.map((b) => (
                  <div
                    key={b.day} className="spend-bar" role="listitem" data-day={b.day} data-amount={b.total}
                    aria-label={`${b.day}: ${money(b.total, chart.currency)}`} title={`${b.day}: ${money(b.total, chart.currency)}`}
                  >
                    <div className="spend-bar-stack" style={{ height: `${(b.total / chart.max) * 100}%` }}>
                      {b.segments.map((s) => (
                        <div key={s.providerId} className="spend-seg" style={{ flexGrow: s.amount, background: color(s.providerId) }} title={`${nameOf(s.providerId)}: ${money(s.amount, chart.currency)}`} />
                      ))}
                    </div>
                  </div>
                ))}
              </div>
              <ul className="spend-legend">
                {chart.providers.map((p) => <li key={p}><span className="spend-swatch" style={{ background: color(p) }} />{nameOf(p)}</li>)}
              </ul>
            </>
          )}
          <p className="hint">{t('spend.unpricedNote')}</p>
        </section>
        {table(t('spend.byProvider'), byProvider, nameOf)}
        {table(t('spend.byModel'), byModel, (k) => k)}
        <BudgetForm model={model} />
      </div>
    </div>
  );
}
