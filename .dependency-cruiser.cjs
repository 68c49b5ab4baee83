/**
 * The layering, checked by `pnpm lint` (dependency-cruiser):
 * - core knows no server, storage or web; packages never import apps; the web app knows no
 *   storage and no server code (it talks HTTP);
 * - no runtime import cycles (a type-only import is erased and makes none).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycles',
      severity: 'error',
      comment: 'Modules must not import each other at run time (a cycle makes module order matter; e.g. routes import ctx.ts / session.ts, never app.ts).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-knows-no-server-storage-web',
      severity: 'error',
      comment: '@yuanping/core is the pure engine: no storage, no server, no web app.',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/storage|apps)/' },
    },
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'web-knows-no-storage-or-server',
      severity: 'error',
      comment: 'The web app runs in the browser and speaks HTTP to the server.',
      from: { path: '^apps/web/src/' },
      to: { path: '^(packages/storage|apps/server)/' },
    },
    {
      name: 'server-never-imports-web',
      severity: 'error',
      from: { path: '^apps/server/' },
      to: { path: '^apps/web/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
  },
};
