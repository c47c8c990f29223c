// One task card: prompt, provider, status in words, progress, elapsed time, error, media, actions.
import { memo, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import type { AskRequest } from '../ui/AskDialog';
import { TaskActions } from './TaskActions';
import { formatElapsed } from './task-form-rules';

interface Props {
  task: TaskView;
  providerName: string;
  now: number;
  model: AppModel;
  launch: Launch;
  ask(request: Omit<AskRequest, 'onAnswer'>): Promise<string | null>;
}

function elapsedMs(task: TaskView, now: number): number {
  const start = Date.parse(task.createdAt);
  const end = task.completedAt ? Date.parse(task.completedAt) : task.status === 'FAILED' || task.status === 'CANCELLED' ? Date.parse(task.updatedAt) : now;
  return end - start;
}

export const TaskRow = memo(function TaskRow({ task, providerName, now, model, launch, ask }: Props) {
  const { t } = useI18n();
  const [thumbOk, setThumbOk] = useState(true);
  const completed = task.status === 'COMPLETED';
  const statusClass = task.status.toLowerCase();
  return (
    <article className={`task card task-${statusClass}`} aria-label={task.prompt}>
      <div className="task-head">
        <div className="task-thumb" aria-hidden={!completed || !thumbOk}>
          {completed && thumbOk ? (
            <img src={launch.mediaUrl(task.videoId, 'thumbnail')} alt={t('task.thumbnail')} loading="lazy" onError={() => setThumbOk(false)} />
          ) : (
            <span className={`thumb-glyph glyph-${statusClass}`}>▶</span>
          )}
        </div>
        <div className="task-body">
          <p className="task-prompt" title={task.prompt}>{task.prompt}</p>
          <div className="task-meta">
            <span className={`pill pill-${statusClass}`}>{t(`status.${task.status}`)}</span>
            <span>{providerName}</span>
            {task.model && <span>{task.model}</span>}
            {task.seconds && <span>{task.seconds}s</span>}
            {task.size && <span>{task.size}</span>}
            <span className="task-elapsed">{t('task.elapsed', { time: formatElapsed(elapsedMs(task, now)) })}</span>
            {task.remixOf && <span>{t('task.remixOf')}</span>}
            {task.localPath && <span className="task-saved" title={t('task.savedAt', { path: task.localPath })}>{t('task.inLibrary')}</span>}
          </div>
          <div className="progress-row">
            <div className="progress" role="progressbar" aria-label={t('task.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={task.progress}>
              <div className={`progress-fill fill-${statusClass}`} style={{ width: `${task.progress}%` }} />
            </div>
            <span className="progress-num">{task.progress}%</span>
          </div>
          {task.status === 'CANCELLED' && task.upstreamCancel && (
            <p className={`task-note cancel-${task.upstreamCancel}`} role="note">{t(`task.cancel.${task.upstreamCancel}`)}</p>
          )}
          {task.status === 'FAILED' && task.error && (
            <p className="task-error" role="note">{task.error}{task.errorCode ? ` (${task.errorCode})` : ''}</p>
          )}
        </div>
      </div>
      {completed && (
        <video
          className="task-video"
          controls
          preload="metadata"
          aria-label={t('task.player')}
          src={launch.mediaUrl(task.videoId, 'video')}
          poster={thumbOk ? launch.mediaUrl(task.videoId, 'thumbnail') : undefined}
        />
      )}
      <TaskActions task={task} model={model} launch={launch} ask={ask} />
    </article>
  );
});
