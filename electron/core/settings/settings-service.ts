// The user's settings: read leniently (a bad hand-edited value falls back to its default), written strictly.
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '@shared/contract/errors';
import { DEMO_PROVIDER_ID } from '@shared/contract/provider';
import { DEFAULT_SETTINGS, SettingsPatchSchema, SettingsSchema, type Settings } from '@shared/contract/settings';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { SettingsChange } from './held-settings';
import type { SettingsBackend } from './settings-backend';

/** The backend key the settings object lives under (provider profiles live under "providers"). */
export const SETTINGS_KEY = 'settings';

export type SettingsListener = (next: Settings, previous: Settings) => void;

type FieldName = keyof Settings;

const asObject = (raw: unknown): Record<string, unknown> =>
  raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
const FIELDS = Object.keys(SettingsSchema.shape) as FieldName[];

/** A zod error as one readable line: "pollIntervalMs: Too small: expected number to be >=250". */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export class SettingsService {
  private readonly listeners = new Set<SettingsListener>();
  /** Bad stored values already warned about, so a hand-edit is reported once, not on every read. */
  private readonly warned = new Set<string>();
  /** Null until the provider registry is wired in: then only "demo" is known to exist. */
  private providerExists: ((id: string) => boolean) | null = null;

  private readonly defaults: Settings;
  /** The settings as last read or written: what listeners were last told, to compare a reload against. */
  private lastSeen: Settings | null = null;

  /** `defaults` overrides the contract's defaults for this machine (the language follows the OS locale). */
  constructor(
    private readonly backend: SettingsBackend,
    private readonly logger: Logger = silentLogger,
    defaults: Partial<Settings> = {},
  ) {
    this.defaults = { ...DEFAULT_SETTINGS, ...defaults };
  }

  /** The provider registry tells the settings which provider ids exist (it reads settings too). */
  useProviderLookup(exists: (id: string) => boolean): void {
    this.providerExists = exists;
  }

  get(): Settings {
    this.lastSeen = this.parse(this.storedObject());
    return { ...this.lastSeen };
  }

  /**
   * settings.json changed from outside (a hand edit while running; see held-settings.ts): listeners hear
   * of it as of any other change, so the poller takes a new interval and every client gets the push.
   */
  reloaded(changes: readonly SettingsChange[]): void {
    const mine = changes.find((c) => c.key === SETTINGS_KEY);
    const previous = this.lastSeen ?? (mine ? this.parse(asObject(mine.before)) : null);
    const next = this.get();
    if (previous && !isDeepStrictEqual(previous, next)) this.announce(next, previous);
  }

  private parse(stored: Record<string, unknown>): Settings {
    const out: Record<string, unknown> = {};
    for (const field of FIELDS) {
      if (!(field in stored)) {
        out[field] = this.defaults[field];
        continue;
      }
      const parsed = SettingsSchema.shape[field].safeParse(stored[field]);
      if (parsed.success) {
        out[field] = parsed.data;
      } else {
        out[field] = this.defaults[field];
        this.warnOnce(field, stored[field], `invalid stored setting "${field}" ignored; using the default`, describeIssues(parsed.error.issues));
      }
    }
    const settings = out as Settings;
    if (this.providerExists && !this.providerExists(settings.defaultProviderId)) {
      this.warnOnce('defaultProviderId', settings.defaultProviderId, 'stored default provider does not exist; using the demo provider', null);
      settings.defaultProviderId = DEMO_PROVIDER_ID;
      settings.defaultProviderChosen = false;
    }
    return settings;
  }

  /** Validates a client's patch; on any error nothing is written. */
  update(patch: unknown): Settings {
    const parsed = SettingsPatchSchema.safeParse(patch ?? {});
    if (!parsed.success) throw new AppError('BAD_REQUEST', `Invalid settings: ${describeIssues(parsed.error.issues)}`);
    const changes: Partial<Settings> = { ...parsed.data };
    if (changes.defaultProviderId !== undefined) {
      const exists = this.providerExists ?? ((id: string) => id === DEMO_PROVIDER_ID);
      if (!exists(changes.defaultProviderId)) {
        throw new AppError('NOT_FOUND', `No provider with id "${changes.defaultProviderId}" to make the default.`);
      }
      changes.defaultProviderChosen = true;
    }
    return this.write(changes);
  }

  /**
   * For the provider registry: move the default without it counting as the user's choice
   * (the first saved provider, or back to demo when the default is deleted).
   */
  assignDefaultProvider(id: string, chosenByUser: boolean): Settings {
    return this.write({ defaultProviderId: id, defaultProviderChosen: chosenByUser });
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(changes: Partial<Settings>): Settings {
    const previous = this.get();
    const next: Settings = { ...previous, ...changes };
    // Keys this version does not know (written by a newer one) are kept, not dropped.
    this.backend.set(SETTINGS_KEY, { ...this.storedObject(), ...next });
    this.logger.info('settings updated', { fields: Object.keys(changes) });
    this.lastSeen = { ...next };
    this.announce(next, previous);
    return next;
  }

  private announce(next: Settings, previous: Settings): void {
    for (const listener of this.listeners) {
      try {
        listener(next, previous);
      } catch (err) {
        this.logger.error('settings listener failed', { err });
      }
    }
  }

  private storedObject(): Record<string, unknown> {
    return asObject(this.backend.get<unknown>(SETTINGS_KEY));
  }

  private warnOnce(field: string, value: unknown, msg: string, detail: string | null): void {
    const key = `${field}=${JSON.stringify(value)}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(msg, { field, ...(detail ? { detail } : {}) });
  }
}
