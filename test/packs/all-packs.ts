import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every pack shipped under schemas/. */
export function allPackIds(repo: string): string[] {
  const dir = join(repo, 'schemas');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'pack.json')))
    .sort();
}
