// exportDiagnostics: writes the bundle (electron/core/diagnostics/) and answers with its path.
import { AppError } from '@shared/contract/errors';
import type { ExportDiagnosticsOptions, ExportedDiagnostics } from '../diagnostics/export-diagnostics';
import type { HandlerMap } from '../server/door-types';

export type DiagnosticsExporter = (opts: ExportDiagnosticsOptions) => Promise<ExportedDiagnostics>;

export function createDiagnosticsHandlers(exportBundle: DiagnosticsExporter | undefined) {
  return {
    async exportDiagnostics(p, ctx) {
      if (!exportBundle) throw new AppError('INTERNAL', 'This service cannot export diagnostics.');
      let made: ExportedDiagnostics;
      try {
        made = await exportBundle({ includePrompts: p.includePrompts ?? false });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A full or read-only disk is the user's to fix: say which; anything else is a bug (INTERNAL, logged).
        if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
          throw new AppError('INTERNAL', `Could not write the diagnostics bundle (${code}): ${code === 'ENOSPC' ? 'the disk is full' : 'the data folder is not writable'}.`);
        }
        throw err;
      }
      ctx.reply('diagnosticsExported', { path: made.path });
    },
  } satisfies HandlerMap;
}
