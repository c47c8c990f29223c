// "API keys cannot be kept": shown from the start-up check on, with the core's fix for this system.
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';

export function KeychainBanner({ model }: { model: AppModel }) {
  const { t } = useI18n();
  const text = model.notices.keychain;
  if (!text) return null;
  return (
    <div className="banner banner-unauthorized" role="alert" data-testid="keychain-banner">
      <span>
        {t('banner.keychain')}
        <span className="banner-detail"> {text}</span>
      </span>
      <button type="button" className="btn btn-ghost" onClick={() => model.notices.dismissKeychain()}>
        {t('banner.dismiss')}
      </button>
    </div>
  );
}
