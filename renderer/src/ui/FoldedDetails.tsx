// The long part of a message (an upstream's full error, its code), folded under "Details".
import { useI18n } from '../i18n';

export function FoldedDetails({ text, className }: { text: string | null | undefined; className?: string }) {
  const { t } = useI18n();
  if (!text) return null;
  return (
    <details>
      <summary>{t('toast.details')}</summary>
      <span className={className}>{text}</span>
    </details>
  );
}
