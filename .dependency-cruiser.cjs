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
    // layers: [name, what may not import, what it may not import, why]
    ...[
      ['core-knows-no-server-storage-web', '^packages/core/', '^(packages/storage|apps)/', '@yuanping/core is the pure engine: no storage, no server, no web app.'],
      ['packages-never-import-apps', '^packages/', '^apps/', 'Packages are used by the apps, never the other way round.'],
      ['web-knows-no-storage-or-server', '^apps/web/src/', '^(packages/storage|apps/server)/', 'The web app runs in the browser and speaks HTTP to the server.'],
      ['server-never-imports-web', '^apps/server/', '^apps/web/src/', 'The server serves the built web app; it imports none of its source.'],
    ].map(([name, from, to, comment]) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to } })),
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
