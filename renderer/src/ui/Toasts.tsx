import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import type { Toast } from '../state/notices-model';

export function Toasts({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const words = (toast: Toast) => {
    if (toast.key && toast.text) return `${t(toast.key)}: ${toast.text}`;
    return toast.key ? t(toast.key) : (toast.text ?? '');
  };
  return (
    <div className="toasts" role="status" aria-live="polite">
      {model.notices.toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.level}`}>
          <span>{words(toast)}</span>
          <button type="button" className="toast-close" aria-label={t('toast.close')} onClick={() => model.notices.dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
