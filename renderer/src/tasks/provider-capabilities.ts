// What a provider's dialect can do, as far as the task card's wording needs it. Until the dialect
// table of the providers work lands in shared/contract (DIALECT_INFO[dialect].cancelsUpstream), every
// dialect SoraDesk speaks today stops only the tracking on Cancel (openai, sora: no DELETE is sent),
// so the card says "Stop tracking". Swap the body for the table's answer when it exists.

/** Does Cancel stop the job at the provider (and its billing), or only SoraDesk's tracking of it? */
export function cancelsUpstream(_dialect: string | undefined): boolean {
  return false;
}
