// IPC channel names shared by the preload and the main process's door. One channel each way.
/** Renderer -> main: (kind: 'envelope', frame), (kind: 'ready'), or (kind: 'showItemInFolder' | 'openVideo', videoId). */
export const IPC_TO_MAIN = 'soradesk:to-main';
/** Main -> renderer: one server envelope per message. */
export const IPC_TO_RENDERER = 'soradesk:to-renderer';

export type ToMainKind = 'envelope' | 'ready' | 'showItemInFolder' | 'openVideo';
