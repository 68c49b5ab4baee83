import type { FromSchema } from 'json-schema-to-ts';
import { manifestSchema } from './manifest.schema.js';
import { fixtureSchema } from './fixture.schema.js';
import {
  derivedFactSchema,
  leafConditionSchema,
  ruleCoreSchema,
  rulesetCoreSchema,
  rulesetSchema,
  OPERATORS,
} from './ruleset.schema.js';

import { uiMetaSchema, UI_WIDGETS } from './ui.schema.js';
import { formMetaSchema, formMetaSchemaUnfolded } from './form.schema.js';
import { scorecardMetaSchema, scorecardKeywordSchema, scoreItemKeywordSchema, scoreTotalKeywordSchema } from './scorecard.schema.js';

export { formMetaSchema, formMetaSchemaUnfolded, manifestSchema, fixtureSchema, rulesetSchema, uiMetaSchema, UI_WIDGETS, scorecardMetaSchema, scorecardKeywordSchema, scoreItemKeywordSchema, scoreTotalKeywordSchema, OPERATORS };

/** `{"param": "<name>"}`: a reference the loader resolves (pack/refs.ts). */
type ParamRefType = { param: string };
/** A source type with its parameter references resolved, as the expanded pack has it. */
export type Resolved<T> = T extends ParamRefType
  ? never
  : T extends ReadonlyArray<infer U>
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

/** The pack manifest as written, derived from its meta-schema. */
export type ManifestSource = FromSchema<typeof manifestSchema>;
/** The pack manifest of the expanded pack (references resolved). */
export type Manifest = Resolved<ManifestSource>;
export type FormDecl = Manifest['forms'][number];
export type Fixture = FromSchema<typeof fixtureSchema>;
export type Operator = (typeof OPERATORS)[number];
export type LeafCondition = FromSchema<typeof leafConditionSchema>;
/** A derived fact of the expanded pack: `scorecard` and `quota` have become `expr`. */
export type DerivedFact = Omit<FromSchema<typeof derivedFactSchema>, 'scorecard' | 'quota'>;

// json-schema-to-ts does not follow recursive $refs: the boolean nodes are spelled out
// here from the same meta-schema definitions (all / any / not).
export type AllCondition = { all: Condition[]; name?: string; priority?: number };
export type AnyCondition = { any: Condition[]; name?: string; priority?: number };
export type NotCondition = { not: Condition; name?: string; priority?: number };
export type BooleanCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | BooleanCondition;

export type Rule = FromSchema<typeof ruleCoreSchema> & { conditions: BooleanCondition; applies?: Condition };
type SourceOutcome = FromSchema<typeof rulesetCoreSchema>['outcome'];
type SourceScoreOutcome = Extract<SourceOutcome, { kind: 'score' }>;
/** A score outcome of the expanded pack: a `scorecard` has become its items, groups and cap. */
export type ScoreOutcomeDecl = Omit<SourceScoreOutcome, 'scorecard' | 'items'> & { items: NonNullable<SourceScoreOutcome['items']> };
export type Outcome = Exclude<SourceOutcome, { kind: 'score' }> | ScoreOutcomeDecl;
/** A rule set of the expanded pack (what the rule runtime reads). */
export type RuleSetFile = Omit<FromSchema<typeof rulesetCoreSchema>, 'outcome'> & { outcome: Outcome; rules: Rule[]; derived?: DerivedFact[] };

export const META_SCHEMAS = {
  'manifest.schema.json': manifestSchema,
  'ruleset.schema.json': rulesetSchema,
  'fixture.schema.json': fixtureSchema,
  'scorecard.schema.json': scorecardMetaSchema,
  'ui.schema.json': uiMetaSchema,
} as const;
