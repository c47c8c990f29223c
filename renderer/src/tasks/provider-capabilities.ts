// What a provider's dialect can do, as far as the task card's wording needs it: the dialect table in
// shared/contract says whether Cancel reaches the provider (fal, Replicate) or only stops SoraDesk's
// tracking (openai relays, sora, Gemini: the job still runs and is billed upstream).
import { DIALECT_INFO } from '@shared/contract/dialects';
import { type Dialect, DIALECTS } from '@shared/contract/values';

/** Does Cancel stop the job at the provider (and its billing), or only SoraDesk's tracking of it? */
export function cancelsUpstream(dialect: string | undefined): boolean {
  return (DIALECTS as readonly string[]).includes(dialect ?? '') && DIALECT_INFO[dialect as Dialect].cancelsUpstream;
}
