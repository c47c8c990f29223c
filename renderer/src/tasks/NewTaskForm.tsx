// The composer: prompt (Up arrow and a list for recent prompts), provider, model (from the provider's
// catalog when there is one), duration, size, a reference image (dropped or chosen, with a preview),
// Generate. In a small window it folds to one line (title and prompt) so the list keeps the space;
// focusing the prompt unfolds it, and it folds again once the prompt is sent or left empty.
import { type FocusEvent, type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { chosenModel, type ModelDraft, ModelFields } from './ModelFields';
import { fitToModel } from './model-choice';
import { checkReference, type DraftErrors, type NewTaskDraft, toCreatePayload, validateDraft } from './task-form-rules';
import { MoreMenu } from '../ui/MoreMenu';
import { loadRecentPrompts, PromptRecall, rememberPrompt, saveRecentPrompts } from './recent-prompts';
import { ReferenceImage } from './ReferenceImage';

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

interface Props {
  model: AppModel;
  /** A small window: fold to one line when not in use. */
  compact: boolean;
  /** Non-zero when the user asked for the composer (Ctrl/Cmd+N): focus the prompt, then say so. */
  focusSignal: number;
  onFocusShown?(): void;
  onExpandedChange?(expanded: boolean): void;
}

export function NewTaskForm({ model, compact, focusSignal, onFocusShown, onExpandedChange }: Props) {
  const { t } = useI18n();
  const id = useId();
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const [open, setOpen] = useState(false);
  const expanded = !compact || open;
  const defaultProvider = model.config.settings?.defaultProviderId ?? '';
  const [draft, setDraft] = useState<NewTaskDraft & ModelDraft>({ prompt: '', providerId: '', model: '', otherModel: false, seconds: '', size: '' });
  const [reference, setReference] = useState<string | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [sending, setSending] = useState(false);
  const [recent, setRecent] = useState(() => loadRecentPrompts(storage()));
  const recall = useRef(new PromptRecall());
  const providerId = draft.providerId || defaultProvider;
  const catalog = model.config.providers.find((p) => p.id === providerId)?.models ?? [];
  const set = (patch: Partial<NewTaskDraft & ModelDraft>) => setDraft((d) => ({ ...d, ...patch }));
  // What is sent: the chosen model, and a duration and size it takes (the fields offer only those).
  const chosen = chosenModel(catalog, draft);
  const fitted = { ...draft, ...fitToModel(chosen.entry, draft), model: chosen.id };
  const setModelFields = (patch: Partial<ModelDraft>) => setDraft((d) => {
    const next = { ...d, ...patch };
    return { ...next, ...fitToModel(chosenModel(catalog, next).entry, next) };
  });
  const setPrompt = (prompt: string) => {
    set({ prompt });
    setOpen(true);
  };

  useEffect(() => {
    if (focusSignal === 0) return;
    promptRef.current?.focus();
    onFocusShown?.();
  }, [focusSignal, onFocusShown]);
  useEffect(() => onExpandedChange?.(expanded), [expanded, onExpandedChange]);

  // Fold when the focus has really left the composer for the page (not for a file chooser, which
  // takes the focus from the whole window) and nothing is half-written.
  const onBlur = (e: FocusEvent<HTMLFormElement>) => {
    const form = e.currentTarget;
    setTimeout(() => {
      if (document.hasFocus() && !form.contains(document.activeElement) && !promptRef.current?.value && !reference) setOpen(false);
    }, 0);
  };

  const connected = model.connection === 'connected';
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!connected) return;
    const found = { ...validateDraft({ ...fitted, providerId }), ...(errors.reference ? { reference: errors.reference } : {}) };
    setErrors(found);
    if (Object.keys(found).length > 0 || sending) return;
    setSending(true);
    try {
      await model.tasks.createTask(toCreatePayload({ ...fitted, providerId }, reference));
      const next = rememberPrompt(recent, draft.prompt);
      setRecent(next);
      saveRecentPrompts(storage(), next);
      recall.current.reset();
      setDraft((d) => ({ ...d, prompt: '' }));
      if (compact) {
        setOpen(false);
        promptRef.current?.blur();
      }
    } catch (err) {
      model.notices.reportError(err);
    } finally {
      setSending(false);
    }
  };

  // Up at the very start of the prompt walks back through recent prompts; Down walks forward again.
  const onPromptKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
    if (e.key === 'ArrowUp' && !e.shiftKey && (atStart || !el.value)) {
      const text = recall.current.older(draft.prompt, recent);
      if (text === null) return;
      e.preventDefault();
      set({ prompt: text });
      requestAnimationFrame(() => el.setSelectionRange(0, 0));
    } else if (e.key === 'ArrowDown' && !e.shiftKey && el.selectionStart === el.value.length) {
      const text = recall.current.newer(recent);
      if (text === null) return;
      e.preventDefault();
      set({ prompt: text });
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
    if (e.key === 'Escape' && compact && open) {
      setOpen(false);
      promptRef.current?.blur();
    }
  };

  const onFile = async (file: File | undefined) => {
    if (!file) {
      setReference(null);
      setErrors(({ reference: _r, ...rest }) => rest);
      return;
    }
    const problem = checkReference(file);
    setErrors(({ reference: _r, ...rest }) => (problem ? { ...rest, reference: problem } : rest));
    setReference(problem ? null : await readAsDataUrl(file));
  };

  const err = (field: keyof DraftErrors) =>
    errors[field] ? <span className="field-error" id={`${id}-${field}-err`} role="alert">{t(errors[field])}</span> : null;

  return (
    <form
      className={`card composer${expanded ? '' : ' composer-folded'}`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={onKeyDown}
      onBlur={compact ? onBlur : undefined}
      noValidate
      aria-label={t('new.title')}
    >
      <h2>{t('new.title')}</h2>
      <div className="field composer-prompt">
        <label className="field-label">
          <span>{t('new.prompt')}</span>
          <textarea
            ref={promptRef}
            rows={expanded ? (compact ? 2 : 4) : 1}
            title={compact && !expanded ? t('new.openHint') : undefined}
            onFocus={() => setOpen(true)}
            value={draft.prompt}
            placeholder={t('new.promptPlaceholder')}
            aria-invalid={Boolean(errors.prompt)}
            aria-describedby={errors.prompt ? `${id}-prompt-err` : undefined}
            onChange={(e) => {
              recall.current.reset();
              set({ prompt: e.target.value });
            }}
            onKeyDown={onPromptKey}
          />
        </label>
        {err('prompt')}
      </div>
      {expanded && (
        <>
        {recent.length > 0 && (
          <div className="composer-recent">
            <MoreMenu label={t('new.recent')} items={recent.slice(0, 10).map((p, i) => ({ key: String(i), label: p.length > 80 ? `${p.slice(0, 77)}…` : p, onSelect: () => setPrompt(p) }))} />
          </div>
        )}
        <div className="field-grid">
          <label className="field field-wide">
            <span>{t('new.provider')}</span>
            <select value={providerId} onChange={(e) => set({ providerId: e.target.value, model: '', otherModel: false })}>
              {model.config.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          <ModelFields catalog={catalog} draft={fitted} errors={errors} idPrefix={id} onChange={setModelFields} />
        </div>
        <ReferenceImage value={reference} error={err('reference')} onFile={(f) => void onFile(f)} />
        <div className="composer-foot">
          <span className="hint">{t('new.hint')}</span>
          {/* Nothing can be sent before the link is up (a click then would only say "not connected"). */}
          <button type="submit" className="btn btn-primary" disabled={sending || !connected} title={connected ? undefined : t(`conn.${model.connection}`)}>
            {t('new.generate')}
          </button>
        </div>
        </>
      )}
    </form>
  );
}
