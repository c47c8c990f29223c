// What can be done with a task, in one place for the card (one primary action by state, the rest in
// More) and the player (the same actions as buttons): play, cancel or stop tracking, retry, refresh,
// copy the job id or the prompt, remix, open or show the file (desktop), download (browser), delete.
import { type ReactNode, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import { isActive } from '@shared/contract/values';
import type { Launch } from '../backend/launch';
import { type Translate, useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import type { Ask } from '../ui/AskDialog';
import { type MenuItem, MoreMenu } from '../ui/MoreMenu';
import { cancelsUpstream } from './provider-capabilities';

/** What the task actions need from the page around them. */
export interface TaskCommands {
  model: AppModel;
  launch: Launch;
  ask: Ask;
  mediaUrl(videoId: string, variant: 'video' | 'thumbnail'): string;
  /** Opens the player on this task. */
  play(videoId: string): void;
}

export interface TaskAction extends MenuItem {
  /** Runs it, reporting a failure to the user. */
  onSelect(): void;
}

/** A file name for a downloaded video: the prompt's first words and the id. */
function downloadName(task: TaskView): string {
  const words = task.prompt.normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40).toLowerCase();
  return `${words || 'video'}-${task.videoId}.mp4`;
}

function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/** Asks whether to delete (and whether the file too, when there is one), then deletes with undo. */
export async function askToDelete(tasks: TaskView[], c: Pick<TaskCommands, 'ask' | 'model'>, t: Translate): Promise<void> {
  if (tasks.length === 0) return;
  const withFiles = tasks.some((x) => x.localPath);
  const answer = await c.ask({
    title: tasks.length === 1 ? t('ask.deleteTitle') : t('ask.deleteManyTitle', { n: tasks.length }),
    body: t('ask.deleteBody'),
    danger: true,
    ...(withFiles ? { option: { label: t(tasks.length === 1 ? 'ask.deleteFile' : 'ask.deleteFiles') } } : {}),
  });
  if (answer) c.model.tasks.removeMany(tasks.map((x) => x.videoId), answer.checked);
}

/** The secondary actions of a task, in menu order; `run` wraps each so a failure is reported. */
export function secondaryActions(task: TaskView, c: TaskCommands, t: Translate, run: (work: () => Promise<unknown>) => void): TaskAction[] {
  const { model, launch } = c;
  const items: TaskAction[] = [];
  const bridge = launch.bridge;
  const dialect = model.config.providers.find((p) => p.id === task.providerId)?.dialect;
  if (isActive(task.status)) items.push({ key: 'refresh', label: t('action.refresh'), onSelect: () => run(() => model.tasks.requestStatus(task.videoId)) });
  if (task.status === 'COMPLETED' && bridge && task.localPath) {
    items.push({ key: 'open', label: t('action.openFile'), onSelect: () => bridge.openVideo(task.videoId) });
    items.push({ key: 'show', label: t('action.showFile'), onSelect: () => bridge.showItemInFolder(task.videoId) });
  }
  if (task.status === 'COMPLETED' && !bridge) {
    items.push({ key: 'download', label: t('action.download'), onSelect: () => download(c.mediaUrl(task.videoId, 'video'), downloadName(task)) });
  }
  if (task.status === 'COMPLETED' && dialect !== 'sora') {
    items.push({
      key: 'remix', label: t('action.remix'), onSelect: () => run(async () => {
        const answer = await c.ask({ title: t('ask.remixTitle'), inputLabel: t('ask.remixPrompt'), initial: task.prompt });
        if (answer?.text) await model.tasks.remix(task.videoId, answer.text);
      }),
    });
  }
  items.push({
    key: 'copyPrompt', label: t('action.copyPrompt'), onSelect: () => run(async () => {
      await navigator.clipboard.writeText(task.prompt);
      model.notices.toast('info', { key: 'toast.promptCopied' });
    }),
  });
  if (task.externalId) {
    items.push({
      key: 'copyId', label: t('action.copyId'), onSelect: () => run(async () => {
        await navigator.clipboard.writeText(task.externalId ?? '');
        model.notices.toast('info', { key: 'toast.copied' });
      }),
    });
  }
  items.push({ key: 'delete', label: t('action.delete'), danger: true, onSelect: () => run(() => askToDelete([task], c, t)) });
  return items;
}

export interface PrimaryAction {
  label: string;
  className: string;
  hint?: string;
  run(): void;
}

/** The card's one primary action, its More menu, and whether an action is under way. */
export function useTaskMenu(task: TaskView, c: TaskCommands): { primary: PrimaryAction | null; more: ReactNode; busy: boolean } {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    work().catch((e: unknown) => c.model.notices.reportError(e)).finally(() => setBusy(false));
  };
  const dialect = c.model.config.providers.find((p) => p.id === task.providerId)?.dialect;
  let primary: PrimaryAction | null = null;
  if (isActive(task.status)) {
    const stops = cancelsUpstream(dialect);
    primary = {
      label: stops ? t('action.cancel') : t('action.stopTracking'),
      hint: stops ? undefined : t('action.stopTrackingHint'),
      className: 'btn-secondary',
      // A job already at a provider that cannot cancel it runs on and is billed: ask before letting go of it.
      run: () => run(async () => {
        if (!stops && task.externalId && !(await c.ask({ title: t('ask.cancelTitle'), body: t('ask.cancelBody') }))) return;
        await c.model.tasks.cancel(task.videoId);
      }),
    };
  } else if (task.status === 'COMPLETED') {
    primary = { label: t('action.play'), className: 'btn-primary', run: () => c.play(task.videoId) };
  } else {
    primary = { label: t('action.retry'), className: 'btn-secondary', run: () => run(() => c.model.tasks.retry(task.videoId)) };
  }
  const items = secondaryActions(task, c, t, run);
  return { primary, more: <MoreMenu label={t('action.more')} items={items} />, busy };
}
