// One task card: a thumbnail, the prompt, what matters about it in one line (status, provider, model,
// length, size, date, time left or taken, cost when known), its bar while running, the error in plain
// words with details folded, one primary action by state and the rest in a More menu.
import { memo, type MouseEvent, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import { isActive, isTerminal } from '@shared/contract/values';
import { useI18n } from '../i18n';
import { FoldedDetails } from '../ui/FoldedDetails';
import { costOf, formatCost, priceUnknown } from './cost';
import { LiveProgress } from './LiveProgress';
import { formatElapsed } from './task-form-rules';
import { etaWords, errorWords, formatDate, queueWords } from './task-words';
import { type TaskCommands, useTaskMenu } from './task-commands';

interface Props {
  task: TaskView;
  providerName: string;
  /** Ticks each second while the task runs (elapsed time and time left); 0 once finished. */
  now: number;
  selected: boolean;
  /** Some task is selected: a click on the card then selects too. */
  selecting: boolean;
  commands: TaskCommands;
  onSelect(videoId: string, how: { range: boolean }): void;
}

function elapsedMs(task: TaskView, now: number): number {
  const start = Date.parse(task.createdAt);
  const end = task.completedAt ? Date.parse(task.completedAt) : isTerminal(task.status) ? Date.parse(task.updatedAt) : now;
  return end - start;
}

/** Clicks on these do their own thing, not select the card. */
const INTERACTIVE = 'button, a, input, select, textarea, summary, video, [role="menu"]';

export const TaskCard = memo(function TaskCard({ task, providerName, now, selected, selecting, commands, onSelect }: Props) {
  const { t, language } = useI18n();
  const [thumbOk, setThumbOk] = useState(true);
  const menu = useTaskMenu(task, commands);
  const completed = task.status === 'COMPLETED';
  const statusClass = task.status.toLowerCase();
  const eta = isActive(task.status) ? etaWords(task, now, t) : null;
  const queue = queueWords(task, t);
  const cost = costOf(task);
  const failure = task.status === 'FAILED' ? errorWords(task, t) : null;

  const onCardClick = (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest(INTERACTIVE)) return;
    if (e.shiftKey) onSelect(task.videoId, { range: true });
    else if (selecting || e.ctrlKey || e.metaKey) onSelect(task.videoId, { range: false });
  };

  return (
    <article className={`task card task-${statusClass}${selected ? ' task-selected' : ''}`} aria-label={task.prompt} onClick={onCardClick}>
      <input
        type="checkbox"
        className="task-check"
        aria-label={t('task.select', { prompt: task.prompt.length > 60 ? `${task.prompt.slice(0, 57)}…` : task.prompt })}
        checked={selected}
        onChange={() => undefined}
        onClick={(e) => onSelect(task.videoId, { range: e.shiftKey })}
      />
      {completed && thumbOk ? (
        <button type="button" className="task-thumb" title={t('action.play')} tabIndex={-1} onClick={() => commands.play(task.videoId)}>
          <img src={commands.mediaUrl(task.videoId, 'thumbnail')} alt={t('task.thumbnail')} loading="lazy" onError={() => setThumbOk(false)} />
          <span className="thumb-play" aria-hidden="true">▶</span>
        </button>
      ) : (
        <div className="task-thumb" aria-hidden="true"><span className={`thumb-glyph glyph-${statusClass}`}>▶</span></div>
      )}
      <div className="task-body">
        <p className="task-prompt" title={task.prompt}>{task.prompt}</p>
        <div className="task-meta">
          <span className={`pill pill-${statusClass}`}>{t(`status.${task.status}`)}</span>
          <span>{providerName}</span>
          {task.model && <span>{task.model}</span>}
          {task.seconds && <span>{t('time.seconds', { n: task.seconds })}</span>}
          {task.size && <span>{task.size}</span>}
          <span className="task-date" title={t('task.created', { date: formatDate(task.createdAt, language) })}>{formatDate(task.createdAt, language)}</span>
          <span className="task-elapsed">{t('task.elapsed', { time: formatElapsed(elapsedMs(task, now)) })}</span>
          {eta && <span className="task-eta" title={eta.basis}>{eta.text}</span>}
          {queue && <span className="task-queue">{queue}</span>}
          {cost && (
            <span className="task-cost" title={t(cost.estimated ? 'task.costEstimated' : 'task.cost')}>
              {cost.estimated ? t('cost.approx', { amount: formatCost(cost, language) }) : formatCost(cost, language)}
            </span>
          )}
          {!cost && priceUnknown(task) && <span className="task-cost task-cost-unknown">{t('cost.unknown')}</span>}
          {task.remixOf && <span>{t('task.remixOf')}</span>}
          {task.localPath && <span className="task-saved" title={t('task.savedAt', { path: task.localPath })}>{t('task.inLibrary')}</span>}
        </div>
        {task.status === 'PENDING' && task.holdReason && (
          <p className={`task-note task-hold hold-${task.holdReason}`} role="note">{t(`hold.${task.holdReason}`)}</p>
        )}
        {isActive(task.status) && !task.holdReason && <LiveProgress task={task} />}
        {task.status === 'CANCELLED' && task.upstreamCancel && (
          <p className={`task-note cancel-${task.upstreamCancel}`} role="note">{t(`task.cancel.${task.upstreamCancel}`)}</p>
        )}
        {failure && (
          <div className="task-error" role="note">
            <span>{failure.text}</span>
            <FoldedDetails text={failure.details} className="mono" />
          </div>
        )}
      </div>
      <div className="task-side">
        {menu.primary && (
          <button type="button" className={`btn btn-sm ${menu.primary.className}`} title={menu.primary.hint} disabled={menu.busy} aria-busy={menu.busy} onClick={menu.primary.run}>
            {menu.primary.label}
          </button>
        )}
        {menu.more}
      </div>
    </article>
  );
});
