import type { ConnectionState } from '@shared/client/contract-client';
import { useI18n } from '../i18n';

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { t } = useI18n();
  return (
    <div className={`conn conn-${state}`} role="status" aria-label={`Connection: ${t(`conn.${state}`)}`}>
      <span className="conn-dot" aria-hidden="true" />
      {t(`conn.${state}`)}
    </div>
  );
}
