// A new batch: prompts pasted one a line, a .txt or .csv file, or N variants of one prompt; the provider,
// model, duration and size for items that name none; the total estimate before anything is sent, and a
// confirmation when it is above the user's threshold. A bad CSV row is named by its line and nothing of
// that file can be sent until it is fixed.
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { parseBatchFile, parseBatchLines, type BatchFileResult } from '@shared/contract/batch-file';
import { secondsChoices } from '@shared/contract/model-rules';
import { MAX_BATCH_VARIANTS } from '@shared/contract/values';
import { useI18n } from '../i18n';
import type { AppModel } from '../state/app-model';
import { formatMoney } from '../tasks/cost';
import { estimateBatch, withDefaults } from './batch-estimate';

type Source = 'lines' | 'file' | 'variants';

export function BatchDialog({ model, onClose }: { model: AppModel; onClose(): void }) {
  const { t, language } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const settings = model.config.settings;
  const providers = model.config.providers;
  const [source, setSource] = useState<Source>('lines');
  const [lines, setLines] = useState('');
  const [file, setFile] = useState<{ name: string; read: BatchFileResult } | null>(null);
  const [prompt, setPrompt] = useState('');
  const [count, setCount] = useState('4');
  const [name, setName] = useState('');
  const [providerId, setProviderId] = useState(settings?.defaultProviderId ?? providers[0]?.id ?? '');
  const provider = providers.find((p) => p.id === providerId);
  const catalog = provider?.models ?? [];
  const [modelId, setModelId] = useState(catalog[0]?.id ?? '');
  const entry = catalog.find((m) => m.id === modelId) ?? null;
  const [seconds, setSeconds] = useState('');
  const [size, setSize] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  // Another provider: its first model, and the durations and sizes that model takes.
  const firstModel = catalog[0]?.id ?? '';
  useEffect(() => setModelId(firstModel), [providerId, firstModel]);
  useEffect(() => {
    setSeconds(entry ? String(secondsChoices(entry.seconds)[0] ?? '') : '');
    setSize(entry?.sizes[0] ?? '');
  }, [entry]);

  const variants = source === 'variants' ? Math.min(MAX_BATCH_VARIANTS, Math.max(1, Math.floor(Number(count)) || 1)) : 1;
  const read: BatchFileResult | null = source === 'lines' ? (lines.trim() ? parseBatchLines(lines) : null)
    : source === 'file' ? file?.read ?? null
      : prompt.trim() ? { ok: true, items: [{ prompt: prompt.trim() }] } : null;
  const items = useMemo(
    () => (read?.ok ? withDefaults(read.items, { providerId, model: modelId, seconds, size }) : []),
    [read, providerId, modelId, seconds, size],
  );
  const estimate = estimateBatch(items, variants, providers);
  const money = (n: number) => (estimate.currency ? formatMoney(n, estimate.currency, language) : String(n));
  const threshold = settings?.batchConfirmAbove ?? null;
  const needsConfirm = threshold != null && estimate.total > threshold;

  const close = () => {
    ref.current?.close();
    onClose();
  };

  const onFile = async (f: File | undefined) => {
    if (!f) return setFile(null);
    setFile({ name: f.name, read: parseBatchFile(f.name, await f.text()) });
    if (!name) setName(f.name);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (items.length === 0 || sending) return;
    if (needsConfirm && !confirming) return setConfirming(true);
    setSending(true);
    try {
      const { batch } = await model.batches.create({ ...(name.trim() ? { name: name.trim() } : {}), items, ...(variants > 1 ? { variants } : {}) });
      model.notices.toast('success', { text: t('batch.created', { n: batch.total }) });
      close();
    } catch (err) {
      model.notices.reportError(err);
      setConfirming(false);
    } finally {
      setSending(false);
    }
  };

  return (
    <dialog ref={ref} className="ask batch-dialog card" aria-label={t('batch.new')} onCancel={(e) => { e.preventDefault(); close(); }}>
      <form onSubmit={(e) => void send(e)} noValidate>
        <h2>{t('batch.new')}</h2>
        <div className="view-switch" role="group" aria-label={t('batch.source')}>
          {(['lines', 'file', 'variants'] as const).map((s) => (
            <button key={s} type="button" className={`btn btn-sm${source === s ? ' btn-on' : ' btn-ghost'}`} aria-pressed={source === s} onClick={() => { setSource(s); setConfirming(false); }}>
              {t(`batch.source.${s}`)}
            </button>
          ))}
        </div>
        {source === 'lines' && (
          <label className="field"><span>{t('batch.lines')}</span>
            <textarea rows={6} value={lines} onChange={(e) => setLines(e.target.value)} />
          </label>
        )}
        {source === 'file' && (
          <label className="field"><span>{t('batch.file')}</span>
            <input type="file" accept=".txt,.csv,text/plain,text/csv" onChange={(e) => void onFile(e.target.files?.[0])} />
            <small className="hint">{t('batch.fileHint')}</small>
          </label>
        )}
        {source === 'variants' && (
          <div className="field-grid">
            <label className="field field-wide"><span>{t('batch.prompt')}</span>
              <textarea rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
            </label>
            <label className="field"><span>{t('batch.variants')}</span>
              <input type="number" min={1} max={MAX_BATCH_VARIANTS} value={count} onChange={(e) => setCount(e.target.value)} />
            </label>
          </div>
        )}
        {read && !read.ok && (
          <p className="field-error batch-error" role="alert">{t('batch.badLine', { line: read.line, message: read.message })}</p>
        )}
        <div className="field-grid">
          <label className="field"><span>{t('batch.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field"><span>{t('batch.provider')}</span>
            <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
              {providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          <label className="field"><span>{t('batch.model')}</span>
            <select value={modelId} onChange={(e) => setModelId(e.target.value)}>
              {catalog.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
            </select>
          </label>
          {entry && secondsChoices(entry.seconds).length > 0 && (
            <label className="field"><span>{t('batch.seconds')}</span>
              <select value={seconds} onChange={(e) => setSeconds(e.target.value)}>
                {secondsChoices(entry.seconds).map((s) => <option key={s} value={String(s)}>{t('time.seconds', { n: s })}</option>)}
              </select>
            </label>
          )}
          {entry && entry.sizes.length > 0 && (
            <label className="field"><span>{t('batch.size')}</span>
              <select value={size} onChange={(e) => setSize(e.target.value)}>
                {entry.sizes.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
          )}
        </div>
        <small className="hint">{t('batch.defaultsHint')}</small>
        <p className="batch-estimate" data-testid="batch-estimate" aria-live="polite">
          {items.length > 0
            ? t('batch.estimate', { n: estimate.tasks, amount: money(estimate.total) })
            : t('batch.noItems')}
          {estimate.unpriced > 0 && ` ${t('batch.unpriced', { n: estimate.unpriced })}`}
        </p>
        {confirming && (
          <p className="batch-confirm" role="alert">
            {t('batch.confirm', { amount: money(estimate.total), threshold: money(threshold ?? 0) })}
          </p>
        )}
        <div className="ask-actions">
          <button type="button" className="btn btn-ghost" onClick={confirming ? () => setConfirming(false) : close}>{t(confirming ? 'batch.back' : 'batch.close')}</button>
          <button type="submit" className="btn btn-primary" disabled={items.length === 0 || sending} aria-busy={sending}>
            {t(confirming ? 'batch.sendAnyway' : 'batch.send')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
