// The application menu: the platform's standard menus, and Help with what a bug report needs (the
// logs folder, a diagnostics bundle shown in the file manager).
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  logDir: string;
  /** Writes a diagnostics bundle (no prompts) and shows it in the file manager. */
  exportDiagnostics(): void;
  locale: string;
}

const LABELS = {
  en: { openLogs: 'Open Logs Folder', exportDiagnostics: 'Export Diagnostics…' },
  zh: { openLogs: '打开日志文件夹', exportDiagnostics: '导出诊断信息…' },
};

export function installAppMenu(actions: AppMenuActions, platform: NodeJS.Platform = process.platform): void {
  const t = actions.locale.toLowerCase().startsWith('zh') ? LABELS.zh : LABELS.en;
  const template: MenuItemConstructorOptions[] = [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: t.openLogs, click: () => void shell.openPath(actions.logDir) },
        { label: t.exportDiagnostics, click: () => actions.exportDiagnostics() },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
