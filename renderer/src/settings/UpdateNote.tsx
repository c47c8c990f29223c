// A quiet line in Settings about the desktop updater: download progress, or why a check failed.
// Nothing at all when there is no updater (browser mode, development) or nothing to say.
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';

export function UpdateNote({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const line = model.update.settingsLine;
  if (!line) return null;
  if (line.kind === 'error') {
    return <p className="hint update-note update-note-error" role="status">{t('update.failed', { message: line.message })}</p>;
  }
  return (
    <p className="hint update-note" role="status">
      {line.version ? t('update.downloading', { version: line.version, progress: line.progress }) : t('update.downloadingNoVersion', { progress: line.progress })}
    </p>
  );
}
