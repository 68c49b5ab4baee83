// Bundles the CLI (packages/cli/src and the workspace packages it imports, TypeScript) into one
// ES module, packages/cli/dist/yuanping.mjs, so that `pnpm yuanping` starts in plain Node instead
// of compiling TypeScript on every call. Run at `pnpm install` (postinstall) and by the launcher
// (yuanping.mjs) whenever a source is newer than the bundle. Plain JavaScript: it runs before
// anything is compiled.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(cli, '..', '..');
export const bundle = join(cli, 'dist', 'yuanping.mjs');

// what the bundle is made of: the workspace packages' sources and manifests, and the lockfile
const watched = [
  // every workspace package (a new one, e.g. packages/check, is watched without editing this list)
  ...readdirSync(join(repo, 'packages')).flatMap((p) => [join(repo, 'packages', p, 'src'), join(repo, 'packages', p, 'package.json')]),
  join(repo, 'pnpm-lock.yaml'),
  join(cli, 'bin', 'build.mjs'),
];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  // tests are not part of the bundle
  for (const e of readdirSync(path)) if (!e.endsWith('.test.ts')) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** True when the bundle is missing or older than any of its sources. */
export function stale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return watched.some((p) => existsSync(p) && newest(p) > built);
}

export async function build() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(cli, 'src', 'index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // ES module builds first: a UMD main (jsonc-parser's) require()s its parts by computed paths
    // that no longer exist inside the bundle
    mainFields: ['module', 'main'],
    // CommonJS dependencies call require(); give the ES module one
    banner: { js: "import { createRequire as __yuanpingRequire } from 'node:module'; const require = __yuanpingRequire(import.meta.url);" },
    plugins: [
      {
        // the workspace sources keep their own import.meta.url / import.meta.dirname, so that
        // what they find by path (e.g. recheck, loaded on first use by createRequire) resolves
        // from where it would without the bundle
        name: 'source-location',
        setup(b) {
          b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            return {
              loader: 'ts',
              contents: text
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))),
            };
          });
        },
      },
    ],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
  await build();
}
