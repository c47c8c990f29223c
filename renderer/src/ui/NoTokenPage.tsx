// Shown when the page was opened without a valid token: how to open SoraDesk, and nothing else.
import type { Language } from '@shared/contract/settings';
import { translator } from '../i18n';

export function NoTokenPage({ language, expired }: { language: Language; expired: boolean }) {
  const t = translator(language);
  return (
    <main className="notoken">
      <div className="notoken-card card">
        <div className="brand-mark" aria-hidden="true">▶</div>
        <h1>{t('notoken.title')}</h1>
        {expired && <p className="notoken-expired" role="alert">{t('notoken.expired')}</p>}
        <p>{t('notoken.body')}</p>
        <pre className="notoken-cmd"><code>npm run serve</code></pre>
      </div>
    </main>
  );
}
