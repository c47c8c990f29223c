// Page-wide notes: the link to the service is down (and whether the service stopped or only the
// connection dropped), an upstream refused our key, an update is ready.
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { KeychainBanner } from './KeychainBanner';
import { UpdateBanner } from './UpdateBanner';

export function Banners({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const down = model.link.down;
  const offlineWords = down === 'service-stopped' ? t('banner.stopped') : down === 'connection-dropped' ? t('banner.dropped') : t('banner.offline');
  const unauthorized = model.notices.unauthorized;
  const providerName = unauthorized?.providerId ? (model.config.providers.find((p) => p.id === unauthorized.providerId)?.name ?? unauthorized.providerId) : null;
  return (
    <>
      {down && (
        <div className={`banner banner-offline${down === 'service-stopped' ? ' banner-stopped' : ''}`} role="alert" data-link={down}>
          {offlineWords}
        </div>
      )}
      {unauthorized && (
        <div className="banner banner-unauthorized" role="alert" data-testid="unauthorized-banner">
          <span>
            {t('banner.unauthorized', { provider: providerName ? ` (${providerName})` : '' })}
            {unauthorized.message && <span className="banner-detail"> {unauthorized.message}</span>}
          </span>
          <button type="button" className="btn btn-ghost" onClick={() => model.notices.dismissUnauthorized()}>
            {t('banner.dismiss')}
          </button>
        </div>
      )}
      <KeychainBanner model={model} />
      <UpdateBanner model={model} />
    </>
  );
}
