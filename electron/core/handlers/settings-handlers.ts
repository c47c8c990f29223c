// The settings messages, and the `settings` push: every client learns of a change, whoever made it.
import type { Settings, SettingsPatch } from '@shared/contract/settings';
import type { HandlerMap, Hub } from '../server/door-types';

export interface SettingsAdmin {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  onChange(listener: (s: Settings) => void): unknown;
}

export function createSettingsHandlers(settings: SettingsAdmin, hub: Hub) {
  settings.onChange((s) => hub.broadcast('settings', { settings: s }));
  return {
    getSettings(_p, ctx) {
      ctx.reply('settings', { settings: settings.get() });
    },
    updateSettings(p, ctx) {
      ctx.reply('settings', { settings: settings.update(p) });
    },
  } satisfies HandlerMap;
}
