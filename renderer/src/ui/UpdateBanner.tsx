// "SoraDesk x.y.z is ready. Restart to update": a named region, not an alert, so it never
// interrupts; shown only once the desktop updater has a downloaded update.
import { useId } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';

export function UpdateBanner({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const textId = useId();
  const banner = model.update.banner;
  if (!banner) return null;
  return (
    <section className="banner banner-update" aria-label={t('update.region')} aria-describedby={textId} data-testid="update-banner">
      <span id={textId} role="status">{t('update.ready', { version: banner.version })}</span>
      <span className="banner-actions">
        <button type="button" className="btn btn-primary" disabled={banner.installing}
          onClick={() => void model.update.install().catch((e: unknown) => model.notices.reportError(e))}>
          {banner.installing ? t('update.restarting') : t('update.restart')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => model.update.later()}>
          {t('update.later')}
        </button>
      </span>
    </section>
  );
}
