// A small modal for "are you sure?" and "which prompt?": Electron has no window.prompt. It may
// carry one checkbox (delete the video file too?).
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

export interface AskRequest {
  title: string;
  body?: string;
  /** When set, the dialog asks for text with this label. */
  inputLabel?: string;
  initial?: string;
  danger?: boolean;
  /** A checkbox under the text, unticked unless `checked`. */
  option?: { label: string; checked?: boolean };
  onAnswer(answer: AskAnswer | null): void;
}

/** What the user confirmed: the text asked for ('' when none) and the option's box. */
export interface AskAnswer {
  text: string;
  checked: boolean;
}

export function AskDialog({ ask }: { ask: AskRequest }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(ask.initial ?? '');
  const [checked, setChecked] = useState(ask.option?.checked ?? false);
  // Whatever had the focus when the dialog opened gets it back when it closes (keyboard users
  // would otherwise land at the top of the page).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const answer = (a: AskAnswer | null) => {
    ref.current?.close();
    ask.onAnswer(a);
    if (opener?.isConnected) opener.focus();
  };
  // A modal keeps Tab inside: from the last control back to the first (the browser would otherwise
  // hand the focus to its own toolbar).
  const keepFocusInside = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const controls = [...e.currentTarget.querySelectorAll<HTMLElement>('button:not(:disabled), textarea, input, select')];
    if (controls.length === 0) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    }
  };
  const canConfirm = !ask.inputLabel || value.trim().length > 0;
  return (
    <dialog ref={ref} className="ask card" aria-label={ask.title} onKeyDown={keepFocusInside} onCancel={(e) => { e.preventDefault(); answer(null); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); if (canConfirm) answer({ text: ask.inputLabel ? value.trim() : '', checked }); }}>
        <h2>{ask.title}</h2>
        {ask.body && <p>{ask.body}</p>}
        {ask.inputLabel && (
          <label className="field">
            <span>{ask.inputLabel}</span>
            <textarea autoFocus rows={3} value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
        )}
        {ask.option && (
          <label className="check">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
            <span>{ask.option.label}</span>
          </label>
        )}
        <div className="ask-actions">
          <button type="button" className="btn btn-ghost" onClick={() => answer(null)}>{t('ask.cancel')}</button>
          <button type="submit" className={`btn ${ask.danger ? 'btn-danger' : 'btn-primary'}`} disabled={!canConfirm} autoFocus={!ask.inputLabel}>
            {t('ask.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export type Ask = (request: Omit<AskRequest, 'onAnswer'>) => Promise<AskAnswer | null>;

/** `ask(...)` resolves with the answer (null when dismissed); render `dialog` where it should appear. */
export function useAsk(): { ask: Ask; dialog: ReactNode } {
  const [asking, setAsking] = useState<AskRequest | null>(null);
  const ask = useCallback<Ask>(
    (request) =>
      new Promise<AskAnswer | null>((resolve) => {
        setAsking({ ...request, onAnswer: (v) => { setAsking(null); resolve(v); } });
      }),
    [],
  );
  return { ask, dialog: asking ? <AskDialog ask={asking} /> : null };
}
