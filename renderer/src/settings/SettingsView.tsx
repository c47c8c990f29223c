// Settings: language and theme (apply at once, in every window), poll interval, default provider,
// auto-download, library folder; in a browser, its notifications.
import { type FormEvent, useState } from 'react';
import { type Language, LANGUAGES, MIN_POLL_INTERVAL_MS, type Theme, THEMES } from '@shared/contract/values';
import type { Launch } from '../backend/launch';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { allowNotifications, notificationsSupported } from '../ui/browser-notifications';
import { BudgetForm } from '../spending/BudgetForm';
import { DiagnosticsExport } from './DiagnosticsExport';
import { UpdateNote } from './UpdateNote';

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };
const THEME_NAMES = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const;

interface Props {
  model: AppModel;
  launch: Launch;
  /** Browser notifications are on for this browser. */
  notify: boolean;
  onNotify(on: boolean): void;
}

export function SettingsView({ model, launch, notify, onNotify }: Props) {
  const { t, language } = useI18n();
  const [blocked, setBlocked] = useState(false);
  const s = model.config.settings;
  // A field shows the setting as the core last said it (so a change made in another window shows
  // here too) until the user types in it; saving hands it back to the setting.
  const [pollDraft, setPoll] = useState<string | null>(null);
  const [libraryDraft, setLibraryDir] = useState<string | null>(null);
  const poll = pollDraft ?? (s ? String(s.pollIntervalMs / 1000) : '');
  const libraryDir = libraryDraft ?? s?.libraryDir ?? '';
  const [pollError, setPollError] = useState(false);

  const fail = (e: unknown) => model.notices.reportError(e);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const ms = Math.round(Number(poll) * 1000);
    if (!Number.isFinite(ms) || ms < MIN_POLL_INTERVAL_MS) return setPollError(true);
    setPollError(false);
    model.config.updateSettings({ pollIntervalMs: ms, libraryDir: libraryDir.trim() || null })
      .then(() => {
        setPoll(null);
        setLibraryDir(null);
        model.notices.toast('success', { text: t('settings.saved') });
      })
      .catch(fail);
  };

  return (
    <div className="page">
      <header className="toolbar"><h1>{t('settings.title')}</h1></header>
      <div className="page-body">
        <form className="card settings-form" onSubmit={save} noValidate aria-label={t('settings.title')}>
          <label className="field"><span>Language / 语言</span>
            <select aria-label="Language" value={language} onChange={(e) => void model.config.updateSettings({ language: e.target.value as Language }).catch(fail)}>
              {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
            </select>
          </label>
          <label className="field"><span>{t('settings.defaultProvider')}</span>
            <select value={s?.defaultProviderId ?? ''} onChange={(e) => void model.config.updateSettings({ defaultProviderId: e.target.value }).catch(fail)}>
              {model.config.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          <div className="field">
            <label className="field-label"><span>{t('settings.pollInterval')}</span>
              <input value={poll} inputMode="decimal" aria-invalid={pollError} onChange={(e) => setPoll(e.target.value)} />
            </label>
            {pollError && <span className="field-error" role="alert">{t('settings.errPoll')}</span>}
          </div>
          <label className="check">
            <input type="checkbox" checked={s?.autoDownload ?? false} onChange={(e) => void model.config.updateSettings({ autoDownload: e.target.checked }).catch(fail)} />
            <span>{t('settings.autoDownload')}</span>
          </label>
          <label className="field"><span>{t('settings.libraryDir')}</span>
            <input value={libraryDir} placeholder={t('settings.libraryDirPlaceholder')} onChange={(e) => setLibraryDir(e.target.value)} />
          </label>
          <label className="field"><span>{t('settings.theme')}</span>
            <select value={s?.theme ?? 'system'} onChange={(e) => void model.config.updateSettings({ theme: e.target.value as Theme }).catch(fail)}>
              {THEMES.map((th) => <option key={th} value={th}>{t(THEME_NAMES[th])}</option>)}
            </select>
          </label>
          {notificationsSupported(launch) && (
            <div className="field">
              <label className="check">
                <input type="checkbox" checked={notify} onChange={(e) => {
                  const on = e.target.checked;
                  if (!on) return onNotify(false);
                  void allowNotifications().then((ok) => {
                    setBlocked(!ok);
                    onNotify(ok);
                  });
                }} />
                <span>{t('settings.notify')}</span>
              </label>
              {blocked && <span className="field-error" role="alert">{t('settings.notifyDenied')}</span>}
            </div>
          )}
          <UpdateNote model={model} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">{t('settings.save')}</button>
          </div>
        </form>
        <BudgetForm model={model} />
        <DiagnosticsExport model={model} />
      </div>
    </div>
  );
}
