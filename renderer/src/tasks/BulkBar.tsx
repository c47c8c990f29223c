// What can be done with the selected tasks: delete them (with undo), retry the failed ones, clear
// the failed and cancelled ones; select everything loaded, or nothing.
import type { TaskView } from '@shared/contract/task';
import { useI18n } from '../i18n';
import type { TaskCommands } from './task-commands';
import { askToDelete } from './task-commands';

interface Props {
  selected: TaskView[];
  loaded: number;
  commands: TaskCommands;
  onSelectAll(): void;
  onClear(): void;
}

export function BulkBar({ selected, loaded, commands, onSelectAll, onClear }: Props) {
  const { t } = useI18n();
  const { model } = commands;
  const failed = selected.filter((x) => x.status === 'FAILED');
  const done = selected.filter((x) => x.status === 'FAILED' || x.status === 'CANCELLED');
  const retry = () => {
    void model.tasks.retryMany(failed.map((x) => x.videoId)).then((n) => {
      if (n > 0) model.notices.toast('success', { key: 'toast.retriedMany', vars: { n } });
    });
  };
  return (
    <section className="bulk-bar" aria-label={t('bulk.region')}>
      <strong role="status">{t('bulk.count', { n: selected.length })}</strong>
      <button type="button" className="btn btn-sm btn-ghost btn-danger-text" onClick={() => void askToDelete(selected, commands, t)}>
        {t('bulk.delete')}
      </button>
      <button type="button" className="btn btn-sm btn-ghost" disabled={failed.length === 0} onClick={retry}>
        {t('bulk.retry', { n: failed.length })}
      </button>
      <button type="button" className="btn btn-sm btn-ghost" disabled={done.length === 0} onClick={() => void askToDelete(done, commands, t)}>
        {t('bulk.clear', { n: done.length })}
      </button>
      <span className="bulk-spacer" />
      <button type="button" className="btn btn-sm btn-ghost" onClick={onSelectAll}>{t('bulk.selectAll', { n: loaded })}</button>
      <button type="button" className="btn btn-sm btn-ghost" onClick={onClear}>{t('bulk.none')}</button>
    </section>
  );
}
