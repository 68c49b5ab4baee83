import type { Problem } from '../errors.js';
import { checkPack } from './check.js';
import { coreChecks } from './checks/index.js';
import type { NoticePack } from './types.js';

/** An org unit the checker knows (from a division file): quotas and caps must name one of these. */
export interface KnownOrgUnit {
  code: string;
  name: string;
  level?: string;
  parent?: string;
}

/** What every check of the registry gets besides the pack. Pure data: no file system, no network. */
export interface CheckContext {
  /** the org units of the division file; empty when none is known (org-unit checks then stay silent) */
  orgUnits: readonly KnownOrgUnit[];
  /** run the fixtures (golden cases) too */
  fixtures: boolean;
  /** publishing in production: some warnings (placeholders) become errors */
  production: boolean;
  /** packs known to exist, to check `succeeds` against */
  knownPacks?: readonly string[];
  /** files that exist but could not be parsed (already reported as PACK_JSON_SYNTAX) */
  unreadable: readonly string[];
  /**
   * the field titles of the pack's published predecessor (`fieldTitlesOf`): form id → field path →
   * title. A rule that reads a field since removed is then named as the administrator knew it.
   */
  formerFields?: FieldTitles;
}

/** Form id → field path → field title. */
export type FieldTitles = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * One check contributed to the registry. `stage: 'fixtures'` checks run golden cases: they run only
 * when `ctx.fixtures` and only when the structural checks found no error in the files they read
 * (the check decides that itself from `broken`).
 */
export interface PackCheck {
  /** a stable name, unique in a registry, e.g. `cohort.steps` */
  id: string;
  stage?: 'structure' | 'fixtures';
  run(pack: NoticePack, ctx: CheckContext & { broken: ReadonlySet<string> }): Problem[];
}

export interface RegistryCheckOptions extends Partial<Omit<CheckContext, 'unreadable'>> {
  /** problems found while reading the files (JSON syntax): reported first, and those files are not checked further */
  readProblems?: readonly Problem[];
}

/**
 * The one pack checker: core's own checks plus every check another package registers.
 * The CLI, the server's check and publish routes and the tests all call `check()` on the same
 * registry (`@yuanping/check` assembles it), so they refuse exactly the same packs.
 */
export class CheckRegistry {
  readonly #checks: PackCheck[] = [];

  /** Add checks; an id already registered is a programming error. */
  register(...checks: PackCheck[]): this {
    for (const c of checks) {
      if (this.#checks.some((x) => x.id === c.id)) throw new Error(`pack check ${c.id} registered twice`);
      this.#checks.push(c);
    }
    return this;
  }

  /** The registered checks, in registration order. */
  list(): readonly PackCheck[] {
    return this.#checks;
  }

  /** Every problem of the pack: file syntax, core's checks, the registered checks, then the fixtures. */
  check(pack: NoticePack, opts: RegistryCheckOptions = {}): Problem[] {
    const readProblems = opts.readProblems ?? [];
    const ctx: CheckContext = {
      orgUnits: opts.orgUnits ?? [],
      fixtures: opts.fixtures ?? true,
      production: opts.production ?? false,
      ...(opts.knownPacks ? { knownPacks: opts.knownPacks } : {}),
      ...(opts.formerFields ? { formerFields: opts.formerFields } : {}),
      unreadable: readProblems.filter((p) => p.code === 'PACK_JSON_SYNTAX').map((p) => p.file),
    };
    return [...readProblems, ...checkPack(pack, { ...ctx, checks: this.#checks })];
  }
}

/** A registry holding core's checks (the formats, plus `checks/`); packages add theirs with `register`. */
export function createCheckRegistry(): CheckRegistry {
  return new CheckRegistry().register(...coreChecks);
}
