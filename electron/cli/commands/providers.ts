// `soradesk providers`: the provider profiles (`create --provider ID`), the default marked; never a key.
import type { CliCommand } from '../cli-program';
import { table } from '../text-table';

export const providersCommand: CliCommand = (program, run) => {
  program
    .command('providers')
    .description('list the provider profiles (* the default); keys are never shown')
    .action(() =>
      run(async (ctx) => {
        const { client } = await ctx.connect();
        const [{ providers }, { settings }] = await Promise.all([client.request('listProviders'), client.request('getSettings')]);
        for (const p of providers) ctx.out.event('provider', { provider: p, isDefault: p.id === settings.defaultProviderId });
        ctx.out.result(table(
          ['', 'ID', 'NAME', 'DIALECT', 'KEY', 'BASE URL'],
          providers.map((p) => [p.id === settings.defaultProviderId ? '*' : '', p.id, p.name, p.dialect, p.builtIn ? 'none needed' : p.hasApiKey ? 'set' : 'missing', p.baseUrl]),
        ));
      }),
    );
};
