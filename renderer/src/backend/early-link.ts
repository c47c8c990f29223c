// The link opened by the boot module before the app's code has even loaded (boot.ts): it connects,
// authenticates and asks for the first page of tasks while the page is still busy with React, then
// hands the open link and that page over to the app's ContractClient. A push that comes in between is
// held and passed on; a link that drops before the hand-over makes the client connect again as usual.
import type { ContractLink, ContractTransport, LinkHandlers } from '@shared/client/transport';
import type { RequestInput, ServerEnvelope } from '@shared/contract/messages';
import type { ReplyEnvelope } from '@shared/contract/routes';

/** The first page is small: it is all the first paint shows. Scrolling pages in the rest as usual. */
export const FIRST_PAGE_SIZE = 30;
const FIRST_PAGE_ID = 'boot-first-page';

export interface FirstPage {
  request: RequestInput<'listTasks'>;
  reply: ReplyEnvelope<'listTasks'>;
}

export interface EarlyLink {
  /** For the app's ContractClient: its first open takes over the early link, later ones open anew. */
  transport: ContractTransport;
  /** The first page, or null when the link failed (or the core refused) before it came. */
  firstPage: Promise<FirstPage | null>;
}

/** Whether two listTasks requests ask for the same tasks (the page size aside). */
export function sameQuery(a: RequestInput<'listTasks'>, b: RequestInput<'listTasks'>): boolean {
  const key = (r: RequestInput<'listTasks'>) => JSON.stringify([r.status ?? null, r.search || null, r.from ?? null, r.to ?? null, r.cursor ?? null]);
  return key(a) === key(b);
}

export function openEarly(transport: ContractTransport, request: RequestInput<'listTasks'>): EarlyLink {
  let target: LinkHandlers | null = null;
  const held: ServerEnvelope[] = [];
  let closedWith: { code: number | null } | null = null;
  let settle!: (page: FirstPage | null) => void;
  const firstPage = new Promise<FirstPage | null>((resolve) => (settle = resolve));

  const handlers: LinkHandlers = {
    onMessage(msg) {
      if (msg.id === FIRST_PAGE_ID) {
        // The core answers listTasks with a taskList (an error reply leaves the page to the app's own ask).
        settle(msg.type === 'taskList' ? { request, reply: msg as ReplyEnvelope<'listTasks'> } : null);
        return;
      }
      if (target) target.onMessage(msg);
      else held.push(msg);
    },
    onClose(code) {
      settle(null);
      if (target) target.onClose(code);
      else closedWith = { code };
    },
  };
  const firstFrames = [{ type: 'listTasks', id: FIRST_PAGE_ID, payload: request }];
  const opened = new Promise<ContractLink>((resolve) => resolve(transport.open(handlers, { firstFrames })));
  opened.catch(() => settle(null));

  let taken = false;
  return {
    firstPage,
    transport: {
      open(appHandlers, options) {
        if (taken) return transport.open(appHandlers, options);
        taken = true;
        return opened.then((link) => {
          // Dropped before the app came: its client treats this as a failed open and connects again.
          if (closedWith) throw new Error(`connection closed (${closedWith.code})`);
          target = appHandlers;
          for (const msg of held.splice(0)) appHandlers.onMessage(msg);
          return link;
        });
      },
    },
  };
}
