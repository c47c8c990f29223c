// Which links the app hands to the OS browser (shell.openExternal): https pages of the providers' own
// hosts (the profiles the user set up) and the project's own pages. Anything else is refused and logged:
// a link in an upstream's text or a compromised renderer must not be able to send the user anywhere.
import type { Logger } from '../core/log';
import { isSafeExternalUrl } from './app-origin';

/** The project's pages (the GitHub repository named by electron-builder.yml's publish target). */
export const PROJECT_PAGES: readonly string[] = ['https://github.com/soradesk/soradesk'];

export interface LinkOpenerDeps {
  /** Host names of the providers the user set up (their base URLs), asked at the moment of the click. */
  providerHosts(): Promise<string[]>;
  open(url: string): Promise<void>;
  logger: Logger;
}

/** Is `url` one of the project's pages: the same origin and under one of PROJECT_PAGES' paths. */
export function isProjectPage(url: URL): boolean {
  return PROJECT_PAGES.some((page) => {
    const p = new URL(page);
    return url.origin === p.origin && (url.pathname === p.pathname || url.pathname.startsWith(`${p.pathname}/`));
  });
}

export function isAllowedExternalLink(url: string, providerHosts: readonly string[]): boolean {
  if (!isSafeExternalUrl(url)) return false;
  const u = new URL(url);
  return isProjectPage(u) || providerHosts.includes(u.hostname.toLowerCase());
}

/** Opens an allowed link in the OS browser; logs and drops any other. Never throws. */
export function createLinkOpener(deps: LinkOpenerDeps): (url: string) => void {
  return (url) => {
    void (async () => {
      const hosts = await deps.providerHosts().catch((err: unknown) => {
        deps.logger.warn('provider hosts unavailable; only project pages may open', { err });
        return [] as string[];
      });
      if (!isAllowedExternalLink(url, hosts.map((h) => h.toLowerCase()))) {
        deps.logger.warn('external link refused: not a provider host or a project page', { url: url.slice(0, 200) });
        return;
      }
      await deps.open(url);
    })().catch((err: unknown) => deps.logger.warn('could not open link', { err }));
  };
}
