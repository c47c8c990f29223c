// What the app tells the user outside a view: toasts (a task finished, an action failed, the core's
// notices, a delete that can be undone), the banner for an upstream that refused a provider's key,
// and the one for a keychain that cannot be reached (API keys cannot be kept).
import type { ErrorPayload } from '@shared/contract/errors';
import type { ServerPayload } from '@shared/contract/messages';
import type { MessageKey } from '../i18n/en';

export type ToastLevel = 'success' | 'error' | 'warning' | 'info';

/** A button in a toast (Undo); the toast goes once it is pressed. */
export interface ToastAction {
  key: MessageKey;
  run(): void;
}

/** A toast names a dictionary key (translated by the UI) or carries the core's own words. */
export interface Toast {
  id: number;
  level: ToastLevel;
  key?: MessageKey;
  /** Values for the key's placeholders. */
  vars?: Record<string, string | number>;
  text?: string;
  /** The long part of a message, folded under "Details". */
  details?: string;
  /** The task it is about: named in the toast, and shown when the toast is clicked. */
  videoId?: string;
  subject?: string;
  action?: ToastAction;
  /** Stays until dismissed: something the user has to act on. */
  sticky?: boolean;
}
export type ToastBody = Omit<Toast, 'id' | 'level'> & { /** How long it stays, when not the default. */ ms?: number };

export interface UnauthorizedBanner {
  providerId: string | null;
  message: string;
}

/** At most this many toasts show at once; the oldest goes first. */
const MAX_TOASTS = 5;
/** A message longer than this shows its first sentence, the rest folded. */
const SHORT_MESSAGE = 140;

/** A message in plain words: its first line or sentence, and the rest (if any) as details. */
export function splitMessage(message: string): { text: string; details?: string } {
  const trimmed = message.trim();
  const newline = trimmed.indexOf('\n');
  if (newline > 0) return { text: trimmed.slice(0, newline).trim(), details: trimmed.slice(newline + 1).trim() || undefined };
  if (trimmed.length <= SHORT_MESSAGE) return { text: trimmed };
  const sentence = /^(.{20,}?[.!?。！？])\s+(\S[\s\S]*)$/u.exec(trimmed);
  return sentence ? { text: sentence[1], details: sentence[2] } : { text: trimmed };
}

export class NoticesModel {
  toasts: Toast[] = [];
  unauthorized: UnauthorizedBanner | null = null;
  /** The core's cause and fix while the keychain is known to be unreachable; null once dismissed. */
  keychain: string | null = null;
  private keychainDismissed = false;
  private toastSeq = 0;

  constructor(
    private readonly changed: () => void,
    /** How long a toast stays; 0 keeps every toast (tests). */
    private readonly toastMs = 6000,
  ) {}

  toast(level: ToastLevel, { ms, ...body }: ToastBody): number {
    const t: Toast = { id: ++this.toastSeq, level, ...body };
    this.toasts = [...this.toasts, t].slice(-MAX_TOASTS);
    this.changed();
    const stay = ms ?? this.toastMs;
    if (this.toastMs > 0 && stay > 0 && !t.sticky) setTimeout(() => this.dismissToast(t.id), stay);
    return t.id;
  }

  /** Shows a failed action's reason to the user: the gist, with the long part folded. */
  reportError(err: unknown): void {
    this.toast('error', splitMessage(err instanceof Error ? err.message : String(err)));
  }

  dismissToast(id: number): void {
    if (!this.toasts.some((t) => t.id === id)) return;
    this.toasts = this.toasts.filter((t) => t.id !== id);
    this.changed();
  }

  showUnauthorized(providerId: string | null, message: string): void {
    this.unauthorized = { providerId, message };
    this.changed();
  }

  dismissUnauthorized(): void {
    this.unauthorized = null;
    this.changed();
  }

  dismissKeychain(): void {
    this.keychain = null;
    this.keychainDismissed = true;
    this.changed();
  }

  /** An `error` reply: the keychain refusing a key operation raises its banner too (the caller shows the rest). */
  errorReply(e: ErrorPayload): void {
    if (e.code === 'KEYCHAIN_UNAVAILABLE') this.showKeychain(e.message);
  }

  /** A `notice` push from the core. */
  notice(n: ServerPayload<'notice'>): void {
    if (n.code === 'UPSTREAM_UNAUTHORIZED') this.showUnauthorized(n.providerId ?? null, n.message);
    // The start-up check (sent again on every connect): a banner with the fix, not a toast each time.
    else if (n.code === 'KEYCHAIN_UNAVAILABLE') this.showKeychain(n.message);
    // A video the library could not keep: said in the user's language, with the core's reason; a
    // full disk or an unwritable folder needs the user, so it stays until dismissed.
    else if (n.code === 'DOWNLOAD_FAILED') this.toast(n.level, { key: 'toast.downloadFailed', text: n.message, videoId: n.videoId, sticky: n.level === 'error' });
    else this.toast(n.level, { ...splitMessage(n.message), videoId: n.videoId, sticky: n.level === 'error' });
  }

  /** Dismissed means for this session: a reconnect's repeated notice does not bring it back. */
  private showKeychain(message: string): void {
    if (this.keychainDismissed) return;
    this.keychain = message;
    this.changed();
  }
}
