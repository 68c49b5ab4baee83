#!/usr/bin/env node
// `pnpm yuanping …`: runs the bundled CLI (packages/cli/dist/yuanping.mjs), rebuilding it first
// when a source is newer, so that someone editing the sources never runs stale code.
import { build, bundle, stale } from './build.mjs';
import { pathToFileURL } from 'node:url';

if (stale()) await build();
const { main } = await import(pathToFileURL(bundle).href);
// pnpm passes a literal `--` through when asked to (`pnpm yuanping -- check`)
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
process.exit(await main(args));
