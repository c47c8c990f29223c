// A small modal for "are you sure?" and "which prompt?": Electron has no window.prompt.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

export interface AskRequest {
  title: string;
  body?: string;
  /** When set, the dialog asks for text with this label. */
  inputLabel?: string;
  initial?: string;
  danger?: boolean;
  onAnswer(value: string | null): void;
}

export function AskDialog({ ask }: { ask: AskRequest }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(ask.initial ?? '');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const answer = (v: string | null) => {
    ref.current?.close();
    ask.onAnswer(v);
  };
  const canConfirm = !ask.inputLabel || value.trim().length > 0;
  return (
    <dialog ref={ref} className="ask card" aria-label={ask.title} onCancel={(e) => { e.preventDefault(); answer(null); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); if (canConfirm) answer(ask.inputLabel ? value.trim() : ''); }}>
        <h2>{ask.title}</h2>
        {ask.body && <p>{ask.body}</p>}
        {ask.inputLabel && (
          <label className="field">
            <span>{ask.inputLabel}</span>
            <textarea autoFocus rows={3} value={value} onChange={(e) => setValue(e.target.value)} />
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
