// Browser mode: a system notification when a video finishes or fails while the page is not in
// front, once the user turned them on in Settings (and the browser allowed them). A click brings the
// page forward on that task. The desktop app has its own (electron/main), so none here.
import { useEffect } from 'react';
import type { Launch } from '../backend/launch';
import type { Translate } from '../i18n';
import type { AppModel } from '../state/app-model';

export function notificationsSupported(launch: Launch): boolean {
  return !launch.bridge && typeof Notification !== 'undefined';
}

/** Asks the browser (on a click: browsers want a user gesture); resolves whether they may show. */
export async function allowNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

export function useBrowserNotifications(model: AppModel, launch: Launch, enabled: boolean, t: Translate): void {
  useEffect(() => {
    if (!enabled || !notificationsSupported(launch)) return;
    return model.tasks.onFinished((task) => {
      if (Notification.permission !== 'granted') return;
      if (document.visibilityState === 'visible' && document.hasFocus()) return; // the toast says it
      const n = new Notification(t(task.status === 'COMPLETED' ? 'notify.completed' : 'notify.failed'), {
        body: task.prompt.length > 120 ? `${task.prompt.slice(0, 117)}…` : task.prompt,
        tag: task.videoId,
      });
      n.onclick = () => {
        window.focus();
        void model.tasks.focusTask(task.videoId).catch((e: unknown) => model.notices.reportError(e));
        n.close();
      };
    });
  }, [enabled, launch, model, t]);
}
