// Navigation, live counts by status (they double as the status filter) and the connection state.
import { TASK_STATUSES, type TaskStatus } from '@shared/contract/values';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { ConnectionBadge } from './ConnectionBadge';

export type Section = 'tasks' | 'spending' | 'providers' | 'settings';

export function Sidebar({ model, section, onSection, onStatus }: { model: AppModel; section: Section; onSection(s: Section): void; onStatus?(s: TaskStatus | null): void }) {
  const { t } = useI18n();
  const stats = model.tasks.view.shownStats();
  const current = model.tasks.view.filter.status;
  const pick = (status: TaskStatus | null) => {
    onSection('tasks');
    onStatus?.(status);
    void model.tasks.setFilter({ ...model.tasks.view.filter, status }).catch((e: unknown) => model.notices.reportError(e));
  };
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">▶</span>
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <nav aria-label={t('nav.main')} className="nav">
        {(['tasks', 'spending', 'providers', 'settings'] as const).map((s) => (
          <button key={s} type="button" className={`nav-item${section === s ? ' active' : ''}`} aria-current={section === s ? 'page' : undefined} onClick={() => onSection(s)}>
            {t(`nav.${s}`)}
          </button>
        ))}
      </nav>
      <div className="counts" role="group" aria-label={t('filter.byStatus')}>
        <button type="button" className={`count-item${current === null ? ' active' : ''}`} aria-pressed={current === null} onClick={() => pick(null)}>
          <span>{t('status.ALL')}</span>
          <span className="count-num">{stats?.total ?? '–'}</span>
        </button>
        {TASK_STATUSES.map((s) => (
          <button key={s} type="button" className={`count-item${current === s ? ' active' : ''}`} aria-pressed={current === s} onClick={() => pick(s)}>
            <span className={`dot dot-${s.toLowerCase()}`} aria-hidden="true" />
            <span>{t(`status.${s}`)}</span>
            <span className="count-num">{stats?.byStatus[s] ?? 0}</span>
          </button>
        ))}
      </div>
      <div className="sidebar-foot">
        <ConnectionBadge state={model.connection} />
      </div>
    </aside>
  );
}
