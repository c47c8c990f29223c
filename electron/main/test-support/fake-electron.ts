// A hand-written stand-in for the part of Electron's API the shell uses. The Electron binary cannot
// run here, so tests `vi.mock('electron', () => fakeElectron)` and drive these fakes the way
// Chromium would: emitting web-contents events, IPC messages and app lifecycle events.
import { EventEmitter } from 'node:events';

export class FakeFrame {
  static nextRoutingId = 1;
  /** Chromium's ids for a frame: a RenderFrameHost is the pair (processId, routingId). */
  constructor(public url: string, readonly processId = 1, readonly routingId = FakeFrame.nextRoutingId++) {}
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  devToolsOpened = false;
  destroyed = false;
  loadedUrl: string | null = null;

  constructor(url = 'app://soradesk/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  openDevTools(): void {
    this.devToolsOpened = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getType(): string {
    return 'window';
  }
  /** Chromium's `will-navigate`: returns true when a listener called preventDefault(). */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => { prevented = true; }, url }, url);
    return prevented;
  }
  /** Chromium's `will-redirect` (a server redirect during a navigation): true when prevented. */
  redirect(url: string): boolean {
    let prevented = false;
    this.emit('will-redirect', { preventDefault: () => { prevented = true; }, url }, url);
    return prevented;
  }
}

export interface FakeWindowOptions {
  show?: boolean;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  progress: number | null = null;
  focused = 0;
  restored = 0;
  shown = 0;
  minimized = false;
  destroyed = false;

  constructor(readonly options: FakeWindowOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  setProgressBar(value: number): void {
    this.progress = value;
  }
  isMinimized(): boolean { return this.minimized; }
  restore(): void { this.restored++; this.minimized = false; }
  show(): void { this.shown++; }
  focus(): void { this.focused++; }
  isDestroyed(): boolean { return this.destroyed; }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  singleInstanceLock = true;
  quitCalls = 0;
  exitCode: number | null = null;
  userData = '/tmp/soradesk-fake-userdata';
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;

  constructor() {
    super();
    this.readyPromise = new Promise((r) => { this.resolveReady = r; });
  }
  /** A fresh launch: no listeners, lock free, not ready yet. */
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.singleInstanceLock = true;
    this.quitCalls = 0;
    this.exitCode = null;
    this.ready = false;
    this.sandboxed = false;
    this.unknownPaths.clear();
    this.readyPromise = new Promise((r) => { this.resolveReady = r; });
  }
  sandboxed = false;
  /** Names getPath cannot resolve on this "system" (Electron throws for those). */
  unknownPaths = new Set<string>();
  getPath(name: string): string {
    if (this.unknownPaths.has(name)) throw new Error(`Failed to get '${name}' path`);
    if (name === 'userData') return this.userData;
    return `${this.userData}-${name}`;
  }
  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxed = true;
  }
  getVersion(): string { return '0.1.0-test'; }
  locale = 'en-US';
  getLocale(): string { return this.locale; }
  getName(): string { return 'SoraDesk'; }
  requestSingleInstanceLock(): boolean { return this.singleInstanceLock; }
  whenReady(): Promise<void> { return this.readyPromise; }
  /** The test's "Chromium finished starting". */
  ready = false;
  becomeReady(): void { this.ready = true; this.resolveReady(); this.emit('ready'); }
  quit(): void {
    this.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => { prevented = true; } });
    if (!prevented) this.emit('will-quit');
  }
  exit(code = 0): void { this.exitCode = code; }
  setAppUserModelId(): void {}
}

class FakeIpcMain extends EventEmitter {
  /** Delivers a renderer message the way Electron does: event first, then the arguments. */
  deliver(channel: string, event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]): void {
    this.emit(channel, event, ...args);
  }
}

export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class FakeProtocol {
  privileged: { scheme: string; privileges: Record<string, boolean> }[] = [];
  handlers = new Map<string, ProtocolHandler>();
  /** Electron refuses privileged schemes once the app is ready. */
  isAppReady: () => boolean = () => false;
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (this.isAppReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  }
}

class FakeSession {
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  readonly protocol = new FakeProtocol();
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']): void { this.permissionRequestHandler = h; }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']): void { this.permissionCheckHandler = h; }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static isSupported(): boolean { return true; }
  constructor(readonly options: { title: string; body: string; silent?: boolean }) { super(); }
  show(): void { FakeNotification.shown.push(this); }
  click(): void { this.emit('click'); }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  menu: FakeMenu | null = null;
  tooltip = '';
  destroyed = false;
  constructor(readonly icon: unknown) { super(); FakeTray.instances.push(this); }
  setContextMenu(menu: FakeMenu): void { this.menu = menu; }
  setToolTip(text: string): void { this.tooltip = text; }
  destroy(): void { this.destroyed = true; }
}

export interface FakeMenuItem { label?: string; type?: string; role?: string; enabled?: boolean; click?: () => void; submenu?: FakeMenuItem[] }
export class FakeMenu {
  /** What Menu.setApplicationMenu was last given. */
  static applicationMenu: FakeMenu | null = null;
  constructor(readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(items: FakeMenuItem[]): FakeMenu { return new FakeMenu(items); }
  static setApplicationMenu(menu: FakeMenu | null): void { FakeMenu.applicationMenu = menu; }
  /** The item with this label, in this menu or a submenu. */
  find(label: string): FakeMenuItem | undefined {
    const walk = (items: FakeMenuItem[]): FakeMenuItem | undefined => {
      for (const i of items) {
        if (i.label === label) return i;
        const inner = i.submenu && walk(i.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    return walk(this.items);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  send(channel: string, ...args: unknown[]): void { this.sent.push({ channel, args }); }
}

/** Everything the fake module exports, plus a reset for test isolation. */
export function createFakeElectron() {
  const session = new FakeSession();
  const api = {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: { exposed: new Map<string, unknown>(), exposeInMainWorld(key: string, value: unknown) { api.contextBridge.exposed.set(key, value); } },
    protocol: session.protocol,
    session: { defaultSession: session },
    shell: { opened: [] as string[], shownInFolder: [] as string[], openedPaths: [] as string[],
      async openExternal(url: string) { api.shell.opened.push(url); },
      async openPath(p: string) { api.shell.openedPaths.push(p); return ''; },
      showItemInFolder(p: string) { api.shell.shownInFolder.push(p); } },
    crashReporter: { started: null as Record<string, unknown> | null,
      start(options: Record<string, unknown>) { api.crashReporter.started = options; } },
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: FakeMenu,
    nativeImage: { createFromPath: (p: string) => ({ path: p, isEmpty: () => false }) },
    net: { online: true, isOnline: () => api.net.online },
    powerMonitor: new EventEmitter(),
    dialog: { errors: [] as { title: string; content: string }[],
      showErrorBox(title: string, content: string) { api.dialog.errors.push({ title, content }); } },
  };
  session.protocol.isAppReady = () => api.app.ready;
  return api;
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;

export function resetFakes(): void {
  FakeBrowserWindow.instances = [];
  FakeNotification.shown = [];
  FakeTray.instances = [];
  FakeMenu.applicationMenu = null;
}

/** The one instance `vi.mock('electron', ...)` hands out, shared with the test that drives it. */
export const fakeElectron = createFakeElectron();

/** Back to a fresh launch: the shell registers app-wide listeners and flips app state. */
export function resetFakeElectron(): void {
  resetFakes();
  fakeElectron.app.reset();
  fakeElectron.ipcMain.removeAllListeners();
  fakeElectron.protocol.privileged = [];
  fakeElectron.protocol.handlers.clear();
  fakeElectron.dialog.errors.length = 0;
  fakeElectron.shell.opened.length = 0;
  fakeElectron.shell.shownInFolder.length = 0;
  fakeElectron.shell.openedPaths.length = 0;
  fakeElectron.crashReporter.started = null;
  fakeElectron.net.online = true;
  fakeElectron.powerMonitor.removeAllListeners();
}
