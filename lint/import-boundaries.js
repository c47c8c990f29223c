// Two lint rules that know which runtime each file belongs to (see eslint.config.js for the map):
// `soradesk/import-boundaries` says which folders and packages an area may import, and which
// modules it may take types from only; `soradesk/no-test-helper-import` keeps test helpers (files
// under a `test-support/` folder) out of code that ships. Specifiers are resolved against the
// repository, with the `@shared/` alias, so `../../../electron/core/core` and friends are caught.
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const ALIASES = { '@shared/': 'shared/' };

/** The repository path an import points to (`shared/contract/values`), or null for a package. */
function repoPath(specifier, filename, cwd) {
  for (const [alias, folder] of Object.entries(ALIASES)) {
    if (specifier.startsWith(alias)) return folder + specifier.slice(alias.length);
  }
  if (!specifier.startsWith('.')) return null;
  return path.relative(cwd, path.resolve(path.dirname(filename), specifier)).split(path.sep).join('/');
}

/** `react-dom/client` -> `react-dom`, `@tanstack/react-virtual/x` -> `@tanstack/react-virtual`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const inFolder = (p, folder) => p === folder || p.startsWith(`${folder}/`);
const stripExt = (p) => p.replace(/\.(ts|tsx|js|mjs)$/, '');

/** Calls `check(node, specifier, typeOnly)` for every import, re-export and dynamic import. */
function eachImport(check) {
  const typeOnlyImport = (node) =>
    node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
  return {
    ImportDeclaration: (node) => check(node.source, node.source.value, typeOnlyImport(node)),
    ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, node.exportKind === 'type'),
    ExportAllDeclaration: (node) => check(node.source, node.source.value, node.exportKind === 'type'),
    ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value, false),
    TSImportType: (node) => {
      const arg = node.argument?.literal ?? node.argument;
      if (arg?.type === 'Literal') check(arg, arg.value, true);
    },
  };
}

const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'An area imports only the folders and packages of its runtime.' },
    schema: [{
      type: 'object',
      properties: {
        area: { type: 'string' },
        folders: { type: 'array', items: { type: 'string' } },
        allowPackages: { type: 'array', items: { type: 'string' } },
        denyPackages: { type: 'array', items: { type: 'string' } },
        denyNodeBuiltins: { type: 'boolean' },
        /** Folders whose modules load zod: value imports refused, `import type` fine... */
        typesOnly: { type: 'array', items: { type: 'string' } },
        /** ...except these zod-free modules (no extension). */
        typesOnlyExcept: { type: 'array', items: { type: 'string' } },
      },
      required: ['area', 'folders'],
      additionalProperties: false,
    }],
    messages: {
      folder: '{{area}} may import only from {{folders}}; "{{specifier}}" is {{target}}.',
      nodeBuiltin: '{{area}} runs without Node: "{{specifier}}" is a Node module.',
      package: '{{area}} may not import the package "{{specifier}}"{{why}}.',
      typesOnly: '{{area}} may take only types from "{{specifier}}" (import type): {{why}}',
    },
  },
  create(context) {
    const o = context.options[0];
    const cwd = context.cwd ?? process.cwd();
    const typesOnly = (target) =>
      (o.typesOnly ?? []).some((t) => inFolder(stripExt(target), t)) && !(o.typesOnlyExcept ?? []).includes(stripExt(target));
    return eachImport((node, specifier, typeOnly) => {
      if (typeof specifier !== 'string') return;
      const data = { area: o.area, specifier, folders: o.folders.map((f) => `${f}/`).join(' and ') };
      const target = repoPath(specifier, context.filename, cwd);
      if (target === null) {
        if (NODE_BUILTINS.has(specifier) || specifier.startsWith('node:')) {
          if (o.denyNodeBuiltins) context.report({ node, messageId: 'nodeBuiltin', data });
          return;
        }
        const name = packageName(specifier);
        if (o.allowPackages && !o.allowPackages.includes(name)) context.report({ node, messageId: 'package', data: { ...data, why: ` (only ${o.allowPackages.join(', ')})` } });
        else if (o.denyPackages?.includes(name)) context.report({ node, messageId: 'package', data: { ...data, why: '' } });
        return;
      }
      if (!o.folders.some((f) => inFolder(target, f))) {
        context.report({ node, messageId: 'folder', data: { ...data, target: target.split('/').slice(0, 2).join('/') } });
        return;
      }
      if (!typeOnly && typesOnly(target)) {
        context.report({ node, messageId: 'typesOnly', data: { ...data, why: 'its schemas load zod, which the page\'s CSP refuses; values come from shared/contract/values.' } });
      }
    });
  },
};

const noTestHelperImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Code that ships never imports a test helper (a file under a test-support/ folder) or a test.' },
    schema: [],
    messages: { testHelper: 'runtime code may not import the test helper "{{specifier}}".' },
  },
  create(context) {
    const cwd = context.cwd ?? process.cwd();
    return eachImport((node, specifier) => {
      if (typeof specifier !== 'string') return;
      const target = repoPath(specifier, context.filename, cwd);
      if (target === null) return;
      if (target.split('/').includes('test-support') || /\.test(-d)?(\.tsx?)?$/.test(target)) {
        context.report({ node, messageId: 'testHelper', data: { specifier } });
      }
    });
  },
};

export const boundariesPlugin = {
  meta: { name: 'soradesk-boundaries' },
  rules: { 'import-boundaries': importBoundaries, 'no-test-helper-import': noTestHelperImport },
};
