// The player: one finished video large, with what it is (prompt, provider, model, size, length, date,
// cost when known) and what can be done with it (open or show the file on the desktop, download in
// a browser, remix, copy the prompt, delete). Left and right arrows move to the previous and next
// video, Space plays or pauses, Escape closes.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { costOf, formatCost } from '../tasks/cost';
import { secondaryActions, type TaskCommands } from '../tasks/task-commands';
import { formatDate } from '../tasks/task-words';
import { useModelVersion } from '../use-model';
import './gallery.css';

interface Props {
  /** The videos to move through, in the order they were shown. */
  ids: string[];
  videoId: string;
  commands: TaskCommands;
  onMove(videoId: string): void;
  onClose(): void;
}

export function Lightbox({ ids, videoId, commands, onMove, onClose }: Props) {
  const { t, language } = useI18n();
  const { model } = commands;
  useModelVersion(model);
  const dialog = useRef<HTMLDialogElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [busy, setBusy] = useState(false);
  const view = model.tasks.view;
  // Deleted (or waiting to be) meanwhile: out of the round.
  const live = ids.filter((id) => view.get(id)?.status === 'COMPLETED' && !view.isHidden(id));
  const index = live.indexOf(videoId);
  const task = index >= 0 ? view.get(videoId) : undefined;

  const present = task !== undefined;
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    d?.focus();
  }, [present]);

  // The video shown went away (deleted): show its neighbour, or close when none is left.
  useEffect(() => {
    if (task) return;
    const before = ids.indexOf(videoId);
    const next = ids.slice(before + 1).find((id) => live.includes(id)) ?? [...ids.slice(0, Math.max(0, before))].reverse().find((id) => live.includes(id));
    if (next) onMove(next);
    else onClose();
  });

  if (!task) return null;
  const go = (step: number) => {
    const next = live[index + step];
    if (next) onMove(next);
  };
  const onKey = (e: KeyboardEvent<HTMLDialogElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, [role="menu"]') || target.closest('.ask')) return;
    if (e.key === 'ArrowLeft') go(-1);
    else if (e.key === 'ArrowRight') go(1);
    else if (e.key === ' ' && !target.closest('button') && target.tagName !== 'VIDEO') {
      const v = video.current;
      if (v) void (v.paused ? v.play().catch(() => undefined) : v.pause());
    } else return;
    e.preventDefault();
  };
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    work().catch((e: unknown) => model.notices.reportError(e)).finally(() => setBusy(false));
  };
  const actions = secondaryActions(task, commands, t, run).filter((a) => a.key !== 'refresh');
  const provider = model.config.providers.find((p) => p.id === task.providerId)?.name ?? task.providerId;
  const cost = costOf(task);

  return (
    <dialog
      ref={dialog}
      className="lightbox"
      aria-label={t('lightbox.label')}
      tabIndex={-1}
      onKeyDown={onKey}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="lightbox-body">
        <div className="lightbox-stage">
          <video
            key={task.videoId}
            ref={video}
            src={commands.mediaUrl(task.videoId, 'video')}
            poster={commands.mediaUrl(task.videoId, 'thumbnail')}
            controls
            autoPlay
            playsInline
            aria-label={t('task.player')}
          />
          <button type="button" className="lightbox-nav lightbox-prev" aria-label={t('lightbox.prev')} disabled={index <= 0} onClick={() => go(-1)}>‹</button>
          <button type="button" className="lightbox-nav lightbox-next" aria-label={t('lightbox.next')} disabled={index >= live.length - 1} onClick={() => go(1)}>›</button>
        </div>
        <div className="lightbox-info">
          <div className="lightbox-head">
            <span className="lightbox-pos" role="status">{t('lightbox.position', { i: index + 1, n: live.length })}</span>
            <button type="button" className="btn btn-sm btn-ghost" onClick={onClose}>{t('lightbox.close')}</button>
          </div>
          <p className="lightbox-prompt" data-testid="lightbox-prompt">{task.prompt}</p>
          <dl className="lightbox-facts">
            <dt>{t('lightbox.provider')}</dt><dd>{provider}</dd>
            {task.model && (<><dt>{t('lightbox.model')}</dt><dd>{task.model}</dd></>)}
            {task.size && (<><dt>{t('lightbox.size')}</dt><dd>{task.size}</dd></>)}
            {task.seconds && (<><dt>{t('lightbox.duration')}</dt><dd>{t('time.seconds', { n: task.seconds })}</dd></>)}
            <dt>{t('lightbox.date')}</dt><dd>{formatDate(task.createdAt, language)}</dd>
            {cost && (<><dt>{t('lightbox.cost')}</dt><dd>{formatCost(cost, language)}</dd></>)}
          </dl>
          <div className="lightbox-actions">
            {actions.map((a) => (
              <button key={a.key} type="button" className={`btn btn-sm ${a.danger ? 'btn-ghost btn-danger-text' : 'btn-secondary'}`} disabled={busy} onClick={a.onSelect}>
                {a.label}
              </button>
            ))}
          </div>
          <p className="lightbox-keys">{t('lightbox.keys')}</p>
        </div>
      </div>
    </dialog>
  );
}
