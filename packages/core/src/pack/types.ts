import type { Problem } from '../errors.js';
import type { FormDecl, Manifest, RuleSetFile, Fixture } from '../meta/index.js';

export type FormKind = 'record' | 'table' | 'scorecard' | 'outline';

/** One form of a pack: its declaration in the manifest plus its JSON Schema and UI schema. */
export interface Form {
  id: string;
  title: string;
  attachment?: string;
  kind: FormKind;
  scope?: FormDecl['scope'];
  decl: FormDecl;
  schema: Record<string, unknown>;
  ui: Record<string, unknown>;
  /** the file the schema came from, relative to the pack root */
  file: string;
  /** the key under which ajv caches the compiled schema: `yuanping:<pack>@<hash>/<form>` */
  cacheId: string;
}

export interface RuleSetEntry {
  id: string;
  file: string;
  ruleSet: RuleSetFile;
}

export interface FixtureEntry {
  file: string;
  fixture: Fixture;
}

/**
 * A loaded notice pack. `files` holds every file of the pack (path relative to the
 * pack root → parsed JSON), which is all a pack is: it can be stored and rebuilt.
 */
export interface NoticePack {
  id: string;
  /** sha256 of the canonical JSON of every file, sorted by path */
  hash: string;
  manifest: Manifest;
  manifestFile: string;
  forms: Map<string, Form>;
  ruleSets: Map<string, RuleSetEntry>;
  cohortSteps: Map<string, { id: string; file: string; step: unknown }>;
  fixtures: FixtureEntry[];
  files: Record<string, unknown>;
  /** references and scorecards that could not be expanded (reported by checkPack) */
  expandProblems?: Problem[];
}

/** Where a pack's files live relative to the pack root. */
export function packPaths(id: string) {
  return {
    manifest: `schemas/${id}/pack.json`,
    schemasDir: `schemas/${id}`,
    rulesDir: `rules/${id}`,
    fixturesDir: `rules/${id}/fixtures`,
  };
}
