// The batches above the task list: "X of N done", what waits here and why, the estimate, and pause,
// resume, cancel and "retry the failed". Ended batches stay a while, the newest few.
import { useState } from 'react';
import type { BatchView } from '@shared/contract/batch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { formatMoney } from '../tasks/cost';

/** Ended (done or cancelled) batches still shown. */
const ENDED_SHOWN = 3;

const doneOf = (b: BatchView) => b.counts.COMPLETED + b.counts.FAILED + b.counts.CANCELLED;

export function BatchesPanel({ model }: { model: AppModel }) {
  const { t, language } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const all = model.batches.list;
  const live = all.filter((b) => b.state === 'running' || b.state === 'paused');
  const ended = all.filter((b) => b.state === 'done' || b.state === 'cancelled').slice(0, ENDED_SHOWN);
  const shown = [...live, ...ended];
  if (shown.length === 0) return null;

  const act = (action: 'pauseBatch' | 'resumeBatch' | 'cancelBatch' | 'retryBatch', id: string) => {
    setBusy(id);
    model.batches.act(action, id).catch((e: unknown) => model.notices.reportError(e)).finally(() => setBusy(null));
  };

  return (
    <section className="batches" aria-label={t('batch.list')}>
      {shown.map((b) => {
        const label = b.name ?? t('batch.unnamed');
        return (
          <div key={b.id} className={`batch-row batch-${b.state}`} role="group" aria-label={label}>
            <span className="batch-name" title={b.id}>{label}</span>
            <span className={`pill pill-batch-${b.state}`}>{t(`batch.state.${b.state}`)}</span>
            <progress max={b.total} value={doneOf(b)} aria-hidden="true" />
            <span className="batch-done" data-testid="batch-done">{t('batch.done', { done: doneOf(b), total: b.total })}</span>
            {b.held > 0 && <span className="batch-held">{t('batch.held', { n: b.held })}</span>}
            {b.counts.FAILED > 0 && <span className="batch-failed">{t('batch.failed', { n: b.counts.FAILED })}</span>}
            <span className="batch-estimate-small">{b.currency ? formatMoney(b.estimate, b.currency, language) : t('cost.unknown')}</span>
            <span className="batch-actions">
              {b.state === 'running' && <button type="button" className="btn btn-sm btn-ghost" disabled={busy === b.id} onClick={() => act('pauseBatch', b.id)}>{t('batch.pause')}</button>}
              {b.state === 'paused' && <button type="button" className="btn btn-sm btn-secondary" disabled={busy === b.id} onClick={() => act('resumeBatch', b.id)}>{t('batch.resume')}</button>}
              {b.retryable > 0 && <button type="button" className="btn btn-sm btn-ghost" disabled={busy === b.id} onClick={() => act('retryBatch', b.id)}>{t('batch.retryFailed')}</button>}
              {(b.state === 'running' || b.state === 'paused') && <button type="button" className="btn btn-sm btn-ghost" disabled={busy === b.id} onClick={() => act('cancelBatch', b.id)}>{t('batch.cancel')}</button>}
            </span>
          </div>
        );
      })}
    </section>
  );
}
