// The composer's reference image: drop it on the zone or choose it; a preview shows what will be
// sent, with a button to take it away.
import { type DragEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';

interface Props {
  /** The image as a data URL, or null. */
  value: string | null;
  error: ReactNode;
  onFile(file: File | undefined): void;
}

export function ReferenceImage({ value, error, onFile }: Props) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onFile(e.dataTransfer.files[0]);
  };
  const allow = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  return (
    <div className="field">
      <span className="field-title" id={`${id}-label`}>{t('new.reference')}</span>
      <div
        className={`dropzone${over ? ' dropzone-over' : ''}${value ? ' dropzone-filled' : ''}`}
        data-testid="reference-dropzone"
        onDragEnter={allow}
        onDragOver={allow}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {value ? (
          <>
            <img className="dropzone-preview" src={value} alt={t('new.referencePreview')} />
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => {
              if (input.current) input.current.value = '';
              onFile(undefined);
            }}>
              {t('new.referenceRemove')}
            </button>
          </>
        ) : (
          <>
            <span className="hint">{t('new.referenceDrop')}</span>
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => input.current?.click()}>{t('new.referenceChoose')}</button>
          </>
        )}
        <input
          ref={input}
          className="visually-hidden"
          type="file"
          accept="image/*"
          aria-labelledby={`${id}-label`}
          tabIndex={-1}
          onChange={(e) => onFile(e.target.files?.[0])}
        />
      </div>
      {error}
    </div>
  );
}
