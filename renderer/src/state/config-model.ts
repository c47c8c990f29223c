// Providers and settings, as the user configures them. Settings follow the core's `settings` pushes,
// so a change made in another window or tab shows here too.
import type { ContractClient } from '@shared/client/contract-client';
import type { RequestInput, ServerPayload } from '@shared/contract/messages';
import type { ProviderView } from '@shared/contract/provider';
import type { Settings } from '@shared/contract/settings';

export class ConfigModel {
  providers: ProviderView[] = [];
  settings: Settings | null = null;

  constructor(
    private readonly client: ContractClient,
    private readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    await Promise.all([this.loadProviders(), this.loadSettings()]);
  }

  async loadProviders(): Promise<void> {
    this.providers = (await this.client.request('listProviders')).providers;
    this.changed();
  }

  async loadSettings(): Promise<void> {
    this.applySettings((await this.client.request('getSettings')).settings);
  }

  /** The settings as the core last said them: a reply, or a push after anyone changed them. */
  applySettings(settings: Settings): void {
    this.settings = settings;
    this.changed();
  }

  async updateSettings(patch: RequestInput<'updateSettings'>): Promise<void> {
    this.applySettings((await this.client.request('updateSettings', patch)).settings);
  }

  /** Saving a provider may make it the default: providers and settings are read again. */
  async saveProvider(payload: RequestInput<'saveProvider'>): Promise<ProviderView> {
    const { provider } = await this.client.request('saveProvider', payload);
    await this.load();
    return provider;
  }

  async deleteProvider(id: string): Promise<void> {
    await this.client.request('deleteProvider', { id });
    await this.load();
  }

  testProvider(id: string): Promise<ServerPayload<'providerTested'>> {
    return this.client.request('testProvider', { id });
  }

  /** The provider's catalog with the models it names itself (where it can list them). */
  listModels(providerId: string): Promise<ServerPayload<'models'>> {
    return this.client.request('listModels', { providerId });
  }
}
