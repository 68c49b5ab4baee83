import type { PackCheckPlugin } from '@yuanping/core';

/** Checks contributed by other packages (cohort steps, table forms) — wired here. */
export function packCheckPlugins(): PackCheckPlugin[] {
  return [];
}
