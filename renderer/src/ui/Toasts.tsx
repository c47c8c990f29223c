import { useI18n } from '../i18n';
import type { AppModel, Toast } from '../state/app-model';

export function Toasts({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const words = (toast: Toast) => {
    if (toast.key && toast.text) return `${t(toast.key)}: ${toast.text}`;
    return toast.key ? t(toast.key) : (toast.text ?? '');
  };
  return (
    <div className="toasts" role="status" aria-live="polite">
      {model.toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.level}`}>
          <span>{words(toast)}</span>
          <button type="button" className="toast-close" aria-label={t('toast.close')} onClick={() => model.dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
