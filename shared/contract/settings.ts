import { z } from 'zod';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

export const MIN_POLL_INTERVAL_MS = 250;

/** The UI language for an OS locale ("zh-CN", "zh_CN.UTF-8", "zh-Hans-CN" -> zh-CN; anything else -> en). */
export function languageForLocale(locale: string | null | undefined): Language {
  return /^zh([-_]|$)/i.test(locale ?? '') ? 'zh-CN' : 'en';
}

export const SettingsSchema = z.object({
  pollIntervalMs: z.number().int().min(MIN_POLL_INTERVAL_MS).max(3_600_000),
  language: LanguageSchema,
  defaultProviderId: z.string(),
  /** True once the user picked the default by hand; then a newly saved provider does not take over. */
  defaultProviderChosen: z.boolean(),
  autoDownload: z.boolean(),
  libraryDir: z.string().nullable(),
  trackingTimeoutMs: z.number().int().min(60_000),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Any subset of the settings. `defaultProviderChosen` is read-only: it is accepted (a client may send
 * back the whole object it got) and ignored; setting `defaultProviderId` is what marks the choice.
 */
export const SettingsPatchSchema = SettingsSchema.partial().strict().transform(({ defaultProviderChosen: _readOnly, ...patch }) => patch);
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  pollIntervalMs: 10_000,
  language: 'en',
  defaultProviderId: 'demo',
  defaultProviderChosen: false,
  autoDownload: true,
  libraryDir: null,
  trackingTimeoutMs: 24 * 60 * 60 * 1000,
};
