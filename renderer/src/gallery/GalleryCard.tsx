// One finished video in the gallery: its thumbnail, its length and date; hovering (or focusing) it
// plays it muted in place, a click or Enter opens the player.
import { memo, useState } from 'react';
import type { TaskView } from '@shared/contract/task';
import { useI18n } from '../i18n';
import { formatDate } from '../tasks/task-words';

interface Props {
  task: TaskView;
  mediaUrl(videoId: string, variant: 'video' | 'thumbnail'): string;
  onOpen(): void;
}

export const GalleryCard = memo(function GalleryCard({ task, mediaUrl, onOpen }: Props) {
  const { t, language } = useI18n();
  const [live, setLive] = useState(false);
  const [thumbOk, setThumbOk] = useState(true);
  return (
    <div role="listitem" className="gallery-card" aria-label={task.prompt} data-video-id={task.videoId}>
      <button
        type="button"
        className="gallery-media"
        aria-label={`${t('action.play')}: ${task.prompt}`}
        onClick={onOpen}
        onMouseEnter={() => setLive(true)}
        onMouseLeave={() => setLive(false)}
        onFocus={() => setLive(true)}
        onBlur={() => setLive(false)}
      >
        {thumbOk ? (
          <img src={mediaUrl(task.videoId, 'thumbnail')} alt={t('task.thumbnail')} loading="lazy" onError={() => setThumbOk(false)} />
        ) : (
          <span className="thumb-glyph" aria-hidden="true">▶</span>
        )}
        {live && <video className="gallery-preview" src={mediaUrl(task.videoId, 'video')} muted autoPlay loop playsInline preload="auto" aria-hidden="true" />}
        {task.seconds && <span className="gallery-badge">{t('time.seconds', { n: task.seconds })}</span>}
      </button>
      <div className="gallery-caption">
        <span className="gallery-prompt" title={task.prompt}>{task.prompt}</span>
        <span className="gallery-date">{formatDate(task.completedAt ?? task.createdAt, language)}</span>
      </div>
    </div>
  );
});
