// The built-in demo profiles, one per dialect, all served by the simulator. Their view shows where the
// simulator listens now (to copy into a provider of one's own); their connection names the demo by an origin
// that never changes (`.invalid` never resolves, so it can only ever mean the simulator) and says which port
// of this launch it stands for, so a task stored before a restart still points at the demo.
import type { ProviderDialect } from '@shared/contract/dialects';
import { NO_BUDGET } from '@shared/contract/cost';
import { DEMO_PROVIDER_ID, type ProviderView } from '@shared/contract/provider';
import { demoModels } from '../providers/catalog/demo-models';
import type { ProviderConnection } from '../providers/provider-client';

export const DEMO_ORIGINS = { api: 'http://demo.soradesk.invalid', media: 'http://media.demo.soradesk.invalid' } as const;

export interface DemoProvider {
  id: string;
  name: string;
  dialect: Exclude<ProviderDialect, 'sora'>;
}

export const DEMO_PROVIDERS: readonly DemoProvider[] = [
  { id: DEMO_PROVIDER_ID, name: 'Demo (offline simulator)', dialect: 'openai' },
  { id: 'demo-gemini', name: 'Demo: Gemini API (Veo)', dialect: 'gemini' },
  { id: 'demo-fal', name: 'Demo: fal', dialect: 'fal' },
  { id: 'demo-replicate', name: 'Demo: Replicate', dialect: 'replicate' },
];

/** Where the simulator listens in this launch. */
export interface DemoAddress {
  api: string;
  media: string;
}

export function demoProvider(id: string): DemoProvider | undefined {
  return DEMO_PROVIDERS.find((d) => d.id === id);
}

const prefix = (dialect: DemoProvider['dialect']) => (dialect === 'openai' ? '' : `/${dialect}`);

export function demoView(demo: DemoProvider, at: DemoAddress | null): ProviderView {
  return {
    id: demo.id, name: demo.name, dialect: demo.dialect, baseUrl: at ? at.api + prefix(demo.dialect) : '',
    hasApiKey: false, apiKeyHint: null, rateLimitPerMinute: null, builtIn: true, models: demoModels(demo.dialect),
    // The demo costs nothing and runs on this machine: no cap, no budget of its own.
    maxActiveJobs: null, budget: NO_BUDGET,
  };
}

export function demoConnection(demo: DemoProvider, at: DemoAddress): ProviderConnection {
  return { dialect: demo.dialect, baseUrl: DEMO_ORIGINS.api + prefix(demo.dialect), apiKey: null, originAliases: demoAliases(at) };
}

/** The demo's names and the ports they stand for in this launch. */
export function demoAliases(at: DemoAddress): Record<string, string> {
  return { [DEMO_ORIGINS.api]: at.api, [DEMO_ORIGINS.media]: at.media };
}

/**
 * A profile of one's own pointed at the simulator (to try a dialect's form against the demo) is answered
 * with URLs that name the demo: it needs the same names to reach them.
 */
export function aliasesFor(baseUrl: string, at: DemoAddress | null): Record<string, string> | undefined {
  if (!at) return undefined;
  try {
    return new URL(baseUrl).origin === new URL(at.api).origin ? demoAliases(at) : undefined;
  } catch {
    return undefined;
  }
}
