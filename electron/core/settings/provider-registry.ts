// Provider profiles: the profile (and its model catalog) in the settings file, the API key in the
// SecretStore, never both; and the built-in demo profiles, one per dialect, served by the simulator.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NO_BUDGET } from '@shared/contract/cost';
import { AppError } from '@shared/contract/errors';
import { DEFAULT_MAX_ACTIVE_JOBS } from '@shared/contract/values';
import { SaveProviderPayloadSchema } from '@shared/contract/messages';
import { ModelEntrySchema, type ModelEntry } from '@shared/contract/model';
import {
  apiKeyHint, DEMO_PROVIDER_ID, ProviderProfileSchema, type ProviderView,
} from '@shared/contract/provider';
import type { Logger } from '../log';
import { registerSecret, silentLogger } from '../log';
import { catalogToStore, profileCatalog } from '../providers/catalog/profile-catalog';
import type { ProviderConnection } from '../providers/provider-client';
import { providerAccount } from '../secrets/create-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { aliasesFor, DEMO_PROVIDERS, demoConnection, demoProvider, demoView, type DemoAddress } from './demo-providers';
import type { SettingsBackend } from './settings-backend';
import { describeIssues, type SettingsService } from './settings-service';

export const PROVIDERS_KEY = 'providers';

/**
 * As stored: whether a key exists is kept beside the hint, since a short key has no hint. The catalog is
 * read entry by entry (a hand-edited entry this version cannot read is left out, not the whole profile).
 */
const StoredProfileSchema = ProviderProfileSchema.extend({ hasApiKey: z.boolean().optional(), models: z.array(z.unknown()).nullable().optional() });
type StoredProfile = Omit<z.infer<typeof StoredProfileSchema>, 'models'> & { models?: ModelEntry[] | null };

export interface ProviderRegistryDeps {
  backend: SettingsBackend;
  secrets: SecretStore;
  settings: SettingsService;
  logger?: Logger;
}

/** "My Sora Proxy!" -> "my-sora-proxy-3f9a1c": readable, and unlikely to collide. */
export function providerIdFromName(name: string): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `${slug || 'provider'}-${randomBytes(3).toString('hex')}`;
}

function hasKey(p: StoredProfile): boolean {
  return p.hasApiKey ?? p.apiKeyHint !== null;
}

function toView(p: StoredProfile): ProviderView {
  return {
    id: p.id, name: p.name, dialect: p.dialect, baseUrl: p.baseUrl,
    hasApiKey: hasKey(p), apiKeyHint: p.apiKeyHint, rateLimitPerMinute: p.rateLimitPerMinute, builtIn: false,
    models: profileCatalog(p.dialect, p.models),
    // A paid provider of one's own sends a few jobs at once unless told otherwise.
    maxActiveJobs: p.maxActiveJobs === undefined ? DEFAULT_MAX_ACTIVE_JOBS : p.maxActiveJobs,
    budget: p.budget ?? NO_BUDGET,
  };
}

export class ProviderRegistry {
  private demoAddress: DemoAddress | null = null;
  private readonly logger: Logger;
  /** Saves and deletes run one at a time: each awaits the keychain between reading and writing profiles. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly warned = new Set<string>();
  /**
   * Keys read from the SecretStore, one read per provider, held until that provider is saved or
   * deleted, or until forgetKeys() (the OS screen locked, the keychain answered KEYCHAIN_UNAVAILABLE,
   * settings.json was edited by hand). A read in flight is shared.
   */
  private readonly keys = new Map<string, Promise<string | null>>();
  /** Saves and deletes under way, by provider id. */
  private readonly inChange = new Map<string, Promise<unknown>>();
  /** The last parse of the stored profiles, reused while the backend hands out the same array. */
  private parsed: { from: unknown; valid: StoredProfile[] } | null = null;

  constructor(private readonly deps: ProviderRegistryDeps) {
    this.logger = deps.logger ?? silentLogger;
    deps.settings.useProviderLookup((id) => demoProvider(id) !== undefined || this.findProfile(id) !== undefined);
  }

  /** The simulator picks its ports at start (the API's, and the media host's); the demo profiles point there. */
  setDemoBaseUrl(api: string, media: string = api): void {
    this.demoAddress = { api: api.replace(/\/+$/, ''), media: media.replace(/\/+$/, '') };
  }

  list(): ProviderView[] {
    return [...DEMO_PROVIDERS.map((d) => demoView(d, this.demoAddress)), ...this.readProfiles().valid.map(toView)];
  }

  get(id: string): ProviderView | undefined {
    const demo = demoProvider(id);
    if (demo) return demoView(demo, this.demoAddress);
    const p = this.findProfile(id);
    return p && toView(p);
  }

  /** The provider's model catalog; empty for an unknown id. */
  catalog(id: string): ModelEntry[] {
    return this.get(id)?.models ?? [];
  }

  save(payload: unknown): Promise<ProviderView> {
    const id = payload && typeof payload === 'object' ? (payload as { id?: unknown }).id : undefined;
    return this.changing(typeof id === 'string' ? id : null, () => this.saveNow(payload));
  }

  delete(id: string): Promise<void> {
    return this.changing(id, () => this.deleteNow(id));
  }

  /** What a provider client needs; the key comes from the SecretStore once, then from memory. */
  async connection(id: string): Promise<ProviderConnection> {
    const demo = demoProvider(id);
    if (demo) {
      if (!this.demoAddress) throw new AppError('INTERNAL', 'The demo simulator has not started yet.');
      return demoConnection(demo, this.demoAddress);
    }
    // A profile and its key change in two steps; a call waits until both are done, so it never pairs
    // a new base URL with the old key.
    await this.inChange.get(id)?.catch(() => undefined);
    const p = this.findProfile(id);
    if (!p) throw new AppError('NOT_FOUND', `No provider with id "${id}".`);
    const apiKey = hasKey(p) ? await this.heldKey(id) : null;
    const originAliases = aliasesFor(p.baseUrl, this.demoAddress);
    return { dialect: p.dialect, baseUrl: p.baseUrl, apiKey, ...(originAliases ? { originAliases } : {}) };
  }

  /** Drops every key held in memory: the next call of each provider reads the keychain again. */
  forgetKeys(): void {
    this.keys.clear();
  }

  private heldKey(id: string): Promise<string | null> {
    const held = this.keys.get(id);
    if (held) return held;
    const reading = this.keychain(() => this.deps.secrets.get(providerAccount(id))).then((key) => {
      if (key) registerSecret(key);
      return key;
    });
    this.keys.set(id, reading);
    // A failed read holds nothing (and a keychain that went away has dropped every key already).
    reading.catch(() => {
      if (this.keys.get(id) === reading) this.keys.delete(id);
    });
    return reading;
  }

  /** A keychain call; KEYCHAIN_UNAVAILABLE means it is locked or gone, so no key held from it stays. */
  private async keychain<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE') this.forgetKeys();
      throw err;
    }
  }

  private async saveNow(input: unknown): Promise<ProviderView> {
    const parsed = SaveProviderPayloadSchema.safeParse(input);
    if (!parsed.success) throw new AppError('BAD_REQUEST', `Invalid provider: ${describeIssues(parsed.error.issues)}`);
    const payload = parsed.data;
    if (payload.id !== undefined && demoProvider(payload.id)) throw new AppError('CONFLICT', 'The built-in demo provider cannot be changed.');

    const existing = payload.id === undefined ? undefined : this.findProfile(payload.id);
    const id = payload.id ?? this.freshId(payload.name);
    // Paths are appended to it; a trailing slash would double up.
    const baseUrl = payload.baseUrl.replace(/\/+$/, '');
    // A key belongs to the origin it was given for: moving the profile elsewhere without sending a
    // key again drops it, so two messages cannot carry a stored key to any host.
    const movedAway = existing !== undefined && hasKey(existing) && !sameOrigin(existing.baseUrl, baseUrl);
    const keyChange = payload.apiKey !== undefined ? payload.apiKey : movedAway ? null : undefined;
    let keyState = { hasApiKey: existing ? hasKey(existing) : false, apiKeyHint: existing?.apiKeyHint ?? null };
    if (typeof keyChange === 'string') keyState = { hasApiKey: true, apiKeyHint: apiKeyHint(keyChange) };
    else if (keyChange === null) keyState = { hasApiKey: false, apiKeyHint: null };

    const profile: StoredProfile = {
      id,
      name: payload.name,
      dialect: payload.dialect,
      baseUrl,
      rateLimitPerMinute: payload.rateLimitPerMinute === undefined ? existing?.rateLimitPerMinute ?? null : payload.rateLimitPerMinute,
      ...keyState,
      ...(payload.maxActiveJobs !== undefined ? { maxActiveJobs: payload.maxActiveJobs } : existing?.maxActiveJobs !== undefined ? { maxActiveJobs: existing.maxActiveJobs } : {}),
      ...(payload.budget ?? existing?.budget ? { budget: payload.budget ?? existing?.budget } : {}),
      // A catalog given is the user's; none given keeps the saved one, unless the dialect changed (its
      // models are another API's): then the new dialect's built-ins.
      models: payload.models !== undefined ? (payload.models && catalogToStore(payload.dialect, payload.models))
        : existing && existing.dialect === payload.dialect ? existing.models ?? null : null,
    };
    const { raw } = this.readProfiles();
    const at = raw.findIndex((entry) => idOf(entry) === id);
    if (at >= 0) raw[at] = profile;
    else raw.push(profile);

    await this.writeProfilesThenKeychain(id, raw, async () => {
      const account = providerAccount(id);
      if (typeof keyChange === 'string') {
        registerSecret(keyChange);
        await this.deps.secrets.set(account, keyChange);
      } else if (keyChange === null) {
        await this.deps.secrets.delete(account);
      }
    });

    const settings = this.deps.settings.get();
    if (!existing && !settings.defaultProviderChosen && settings.defaultProviderId === DEMO_PROVIDER_ID) {
      this.deps.settings.assignDefaultProvider(id, false);
    }
    const apiKeyChange = keyChange === undefined ? 'kept' : keyChange === null ? (movedAway && payload.apiKey === undefined ? 'dropped: origin changed' : 'removed') : 'set';
    this.logger.info(existing ? 'provider updated' : 'provider added', { providerId: id, apiKeyChange });
    return toView(profile);
  }

  private async deleteNow(id: string): Promise<void> {
    if (demoProvider(id)) throw new AppError('CONFLICT', 'The built-in demo provider cannot be deleted.');
    const p = this.findProfile(id);
    if (!p) throw new AppError('NOT_FOUND', `No provider with id "${id}".`);
    // Read before the profile goes: afterwards the settings would already report "demo" for a
    // missing default and the stale id would stay in the file.
    const wasDefault = this.deps.settings.get().defaultProviderId === id;
    const { raw } = this.readProfiles();
    // A provider without a key can be deleted even while the keychain is unavailable.
    await this.writeProfilesThenKeychain(id, raw.filter((entry) => idOf(entry) !== id), async () => {
      if (hasKey(p)) await this.deps.secrets.delete(providerAccount(id));
    });
    if (wasDefault) this.deps.settings.assignDefaultProvider(DEMO_PROVIDER_ID, false);
    this.logger.info('provider deleted', { providerId: id });
  }

  /**
   * The profiles first, then the keychain; a keychain that refuses puts the profiles back, so neither an
   * orphan key nor a profile naming a key that is not there is left behind. A profile that cannot be
   * written leaves the keychain untouched.
   */
  private async writeProfilesThenKeychain(id: string, profiles: unknown[], keyOp: () => Promise<void>): Promise<void> {
    const before = this.deps.backend.get<unknown>(PROVIDERS_KEY);
    this.deps.backend.set(PROVIDERS_KEY, profiles);
    try {
      await this.keychain(keyOp);
    } catch (err) {
      if (before === undefined) this.deps.backend.delete(PROVIDERS_KEY);
      else this.deps.backend.set(PROVIDERS_KEY, before);
      throw err;
    } finally {
      // Whatever changed, the next call reads the key again.
      this.keys.delete(id);
    }
  }

  private findProfile(id: string): StoredProfile | undefined {
    return this.readProfiles().valid.find((p) => p.id === id);
  }

  private freshId(name: string): string {
    for (;;) {
      const id = providerIdFromName(name);
      if (!demoProvider(id) && !this.findProfile(id)) return id;
    }
  }

  /**
   * `raw` is the stored array as is: entries this version cannot read (hand-edited, or from a newer
   * version) are skipped in listings but written back untouched, so nothing is lost.
   */
  private readProfiles(): { valid: StoredProfile[]; raw: unknown[] } {
    const stored = this.deps.backend.get<unknown>(PROVIDERS_KEY);
    const raw = Array.isArray(stored) ? [...stored] : [];
    if (this.parsed && this.parsed.from === stored && stored !== undefined) return { valid: this.parsed.valid, raw };
    const valid: StoredProfile[] = [];
    const seen = new Set<string>(DEMO_PROVIDERS.map((d) => d.id));
    for (const entry of raw) {
      const parsed = StoredProfileSchema.safeParse(entry);
      if (parsed.success && !seen.has(parsed.data.id)) {
        seen.add(parsed.data.id);
        valid.push({ ...parsed.data, models: this.readableModels(parsed.data.id, parsed.data.models) });
      } else {
        this.warnOnce(JSON.stringify(entry), parsed.success ? 'duplicate or reserved provider id in settings; ignored' : `unreadable provider profile in settings ignored: ${describeIssues(parsed.error.issues)}`);
      }
    }
    this.parsed = { from: stored, valid };
    return { valid, raw };
  }

  private readableModels(id: string, models: unknown[] | null | undefined): ModelEntry[] | null {
    if (!models) return null;
    const out: ModelEntry[] = [];
    for (const m of models) {
      const parsed = ModelEntrySchema.safeParse(m);
      if (parsed.success) out.push(parsed.data);
      else this.warnOnce(`${id}:${JSON.stringify(m)}`, `unreadable model entry of provider ${id} ignored: ${describeIssues(parsed.error.issues)}`);
    }
    return out;
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(msg);
  }

  /** A save or delete, one at a time; calls for that provider's connection wait for it. */
  private changing<T>(id: string | null, op: () => Promise<T>): Promise<T> {
    const run = this.serially(op);
    if (id !== null) {
      this.inChange.set(id, run);
      const done = () => { if (this.inChange.get(id) === run) this.inChange.delete(id); };
      run.then(done, done);
    }
    return run;
  }

  private serially<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function idOf(entry: unknown): unknown {
  return entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
}
