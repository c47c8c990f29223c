// The upstream API shapes SoraDesk speaks, and what each one can do. The UI words its offers from
// this table (a Cancel that cannot stop the upstream says so); the core builds its clients by name.
import { DIALECTS, type Dialect } from './values';

export const PROVIDER_DIALECTS = DIALECTS;
export type ProviderDialect = Dialect;

export interface DialectInfo {
  label: string;
  /** The provider's own public API host; null where every relay has its own. */
  defaultBaseUrl: string | null;
  /** How the key travels, for the key field's hint. */
  keyHeader: string;
  /** Cancel reaches the upstream and stops the job (and its billing). */
  cancelsUpstream: boolean;
  /** The upstream lists recent jobs, so a creation whose answer was lost can be found. */
  listsJobs: boolean;
  /** The upstream names its models (GET /v1/models, Gemini's models list). */
  listsModels: boolean;
  remix: boolean;
  /**
   * Hosts the dialect's videos are served from besides the provider's own origin (`*.` = any name
   * under it; `*` = any public host: a relay's own CDN). Always over https, never an address on this
   * machine or the LAN unless the provider itself is there (electron/core/providers/media-guard.ts).
   */
  mediaHosts: readonly string[];
}

export const DIALECT_INFO: Record<ProviderDialect, DialectInfo> = {
  openai: {
    label: 'OpenAI Videos shape (/v1/videos) and its relays',
    defaultBaseUrl: null,
    keyHeader: 'Authorization: Bearer',
    cancelsUpstream: false,
    listsJobs: true,
    listsModels: true,
    remix: true,
    // Relays hand out their own CDN's links.
    mediaHosts: ['*'],
  },
  sora: {
    label: 'Sora proxy (/sora/v1/videos)',
    defaultBaseUrl: null,
    keyHeader: 'Authorization',
    cancelsUpstream: false,
    listsJobs: false,
    listsModels: false,
    remix: false,
    // Relays hand out their own CDN's links.
    mediaHosts: ['*'],
  },
  gemini: {
    label: 'Google Gemini API (Veo)',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    keyHeader: 'x-goog-api-key',
    // The Gemini API has no cancel for a model's operations (only get and list).
    cancelsUpstream: false,
    listsJobs: false,
    listsModels: true,
    remix: false,
    // The file URI is on the API's host, which redirects the download to Google's content host.
    mediaHosts: ['*.googleusercontent.com'],
  },
  fal: {
    label: 'fal (queue API)',
    defaultBaseUrl: 'https://queue.fal.run',
    keyHeader: 'Authorization: Key',
    cancelsUpstream: true,
    listsJobs: false,
    listsModels: false,
    remix: false,
    mediaHosts: ['fal.media', '*.fal.media'],
  },
  replicate: {
    label: 'Replicate (predictions)',
    defaultBaseUrl: 'https://api.replicate.com',
    keyHeader: 'Authorization: Bearer',
    cancelsUpstream: true,
    listsJobs: true,
    listsModels: false,
    remix: false,
    mediaHosts: ['replicate.delivery', '*.replicate.delivery'],
  },
};
