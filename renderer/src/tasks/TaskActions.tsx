// Per-task actions. Each shows only when it makes sense for the task's status.
import { useState } from 'react';
import { DIALECT_INFO } from '@shared/contract/dialects';
import { isTerminal } from '@shared/contract/values';
import type { TaskView } from '@shared/contract/task';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import type { AskRequest } from '../ui/AskDialog';

interface Props {
  task: TaskView;
  model: AppModel;
  launch: Launch;
  ask(request: Omit<AskRequest, 'onAnswer'>): Promise<string | null>;
}

export function TaskActions({ task, model, launch, ask }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const run = (name: string, work: () => Promise<unknown>) => {
    setBusy(name);
    work().catch((e: unknown) => model.notices.reportError(e)).finally(() => setBusy(null));
  };
  // Ask before going busy: a disabled opener cannot take the focus back when the dialog closes.
  const askThenRun = async (name: string, request: Omit<AskRequest, 'onAnswer'>, work: (answer: string) => Promise<unknown>) => {
    const answer = await ask(request);
    if (answer !== null && (answer || !request.inputLabel)) run(name, () => work(answer));
  };
  const terminal = isTerminal(task.status);
  // Where the API cannot cancel, Cancel only stops the tracking: say so, and ask first (the job is billed).
  const dialect = model.config.providers.find((p) => p.id === task.providerId)?.dialect;
  const runsOnUpstream = Boolean(task.externalId) && dialect !== undefined && !DIALECT_INFO[dialect].cancelsUpstream;
  const cancel = () => (runsOnUpstream
    ? void askThenRun('cancel', { title: t('ask.cancelTitle'), body: t('ask.cancelBody') }, () => model.tasks.cancel(task.videoId))
    : run('cancel', () => model.tasks.cancel(task.videoId)));
  const btn = (name: string, label: string, onClick: () => void, cls = 'btn-ghost', title?: string) => (
    <button type="button" className={`btn btn-sm ${cls}`} disabled={busy !== null} aria-busy={busy === name} onClick={onClick} title={title}>
      {label}
    </button>
  );
  return (
    <div className="task-actions">
      {btn('refresh', t('action.refresh'), () => run('refresh', () => model.tasks.requestStatus(task.videoId)), 'btn-secondary')}
      {!terminal && btn('cancel', t('action.cancel'), cancel, 'btn-ghost', runsOnUpstream ? t('action.cancelNoUpstream') : undefined)}
      {(task.status === 'FAILED' || task.status === 'CANCELLED') && btn('retry', t('action.retry'), () => run('retry', () => model.tasks.retry(task.videoId)))}
      {task.status === 'COMPLETED' && btn('remix', t('action.remix'), () => void askThenRun('remix', {
        title: t('ask.remixTitle'), inputLabel: t('ask.remixPrompt'), initial: task.prompt,
      }, (prompt) => model.tasks.remix(task.videoId, prompt)))}
      {task.externalId && btn('copy', t('action.copyId'), () => run('copy', async () => {
        await navigator.clipboard.writeText(task.externalId ?? '');
        model.notices.toast('info', { key: 'toast.copied' });
      }))}
      {launch.bridge && task.localPath && btn('show', t('action.showFile'), () => launch.bridge?.showItemInFolder(task.videoId))}
      {btn('delete', t('action.delete'), () => void askThenRun('delete', {
        title: t('ask.deleteTitle'), body: t('ask.deleteBody'), danger: true,
      }, () => model.tasks.remove(task.videoId)), 'btn-ghost btn-danger-text')}
    </div>
  );
}
