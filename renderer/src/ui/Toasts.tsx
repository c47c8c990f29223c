// Toasts: over the task list (never over the composer), each naming the task it is about; a click
// on one shows that task. Long messages show their gist with the rest folded; a toast may carry one
// button (Undo).
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import type { Toast } from '../state/notices-model';
import { FoldedDetails } from './FoldedDetails';

export function Toasts({ model, floating = false }: { model: AppModel; floating?: boolean }) {
  const { t } = useI18n();
  const headline = (toast: Toast) => {
    const title = toast.key ? t(toast.key, toast.vars) : '';
    if (toast.subject) return `${title}: “${toast.subject.length > 80 ? `${toast.subject.slice(0, 77)}…` : toast.subject}”`;
    if (title && toast.text) return `${title}: ${toast.text}`;
    return title || toast.text || '';
  };
  // With a subject the toast's own words (an error) go on a line of their own.
  const body = (toast: Toast) => (toast.subject && toast.text ? toast.text : null);
  const show = (toast: Toast) => {
    if (!toast.videoId) return;
    void model.tasks.focusTask(toast.videoId).catch((e: unknown) => model.notices.reportError(e));
    model.notices.dismissToast(toast.id);
  };
  return (
    <div className={`toasts${floating ? ' toasts-floating' : ''}`} role="status" aria-live="polite">
      {model.notices.toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.level}${toast.videoId ? ' toast-linked' : ''}`} data-video-id={toast.videoId}>
          <div className="toast-words">
            {toast.videoId ? (
              <button type="button" className="toast-link" title={t('toast.show')} onClick={() => show(toast)}>{headline(toast)}</button>
            ) : (
              <span>{headline(toast)}</span>
            )}
            {body(toast) && <span className="toast-body">{body(toast)}</span>}
            <FoldedDetails text={toast.details} className="toast-details" />
          </div>
          {toast.action && (
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => {
              model.notices.dismissToast(toast.id);
              toast.action?.run();
            }}>
              {t(toast.action.key)}
            </button>
          )}
          <button type="button" className="toast-close" aria-label={t('toast.close')} onClick={() => model.notices.dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
