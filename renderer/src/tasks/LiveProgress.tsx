// A running task's bar: it glides between the values the core reports (progress-smoother.ts: never
// past the last one, never back), marked as estimated while it glides; an indeterminate bar where
// the upstream gives no progress at all; the queue position where the upstream gives one.
import { useEffect, useRef, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import { isActive } from '@shared/contract/values';
import { useI18n } from '../i18n';
import { ProgressSmoother } from './progress-smoother';

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** No progress value has ever come from the upstream for this task. */
export function progressUnknown(task: TaskView): boolean {
  return isActive(task.status) && task.progress === 0 && task.progressHistory.length === 0;
}

export function LiveProgress({ task }: { task: TaskView }) {
  const { t } = useI18n();
  const smoother = useRef<ProgressSmoother | null>(null);
  smoother.current ??= new ProgressSmoother(task.progress, performance.now());
  const [shown, setShown] = useState(() => Math.floor(smoother.current!.valueAt(performance.now())));
  const [estimating, setEstimating] = useState(false);
  const active = isActive(task.status);

  useEffect(() => {
    const s = smoother.current!;
    const now = performance.now();
    if (!active || reducedMotion()) s.settle(task.progress, now);
    else s.report(task.progress, now);
    let frame = 0;
    const tick = () => {
      const at = performance.now();
      setShown(Math.floor(s.valueAt(at)));
      const still = s.estimating(at);
      setEstimating(still);
      if (still) frame = requestAnimationFrame(tick);
    };
    tick();
    return () => cancelAnimationFrame(frame);
  }, [task.progress, active]);

  const statusClass = task.status.toLowerCase();
  if (progressUnknown(task)) {
    return (
      <div className="progress-row">
        <div className="progress progress-indeterminate" role="progressbar" aria-label={t('task.progress')} aria-valuetext={t('task.waiting')}>
          <div className={`progress-fill fill-${statusClass}`} />
        </div>
        <span className="progress-num" aria-hidden="true">…</span>
      </div>
    );
  }
  return (
    <div className={`progress-row${estimating ? ' progress-estimating' : ''}`}>
      <div
        className="progress"
        role="progressbar"
        aria-label={t('task.progress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown}
        aria-valuetext={estimating ? t('task.progressEstimated', { n: shown, real: task.progress }) : `${shown}%`}
        title={estimating ? t('task.progressEstimated', { n: shown, real: task.progress }) : undefined}
      >
        <div className={`progress-fill fill-${statusClass}`} style={{ width: `${shown}%` }} />
      </div>
      <span className="progress-num">{estimating ? '~' : ''}{shown}%</span>
    </div>
  );
}
