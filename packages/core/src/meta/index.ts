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

export { manifestSchema, fixtureSchema, rulesetSchema, OPERATORS };

/** The pack manifest, derived from its meta-schema. */
export type Manifest = FromSchema<typeof manifestSchema>;
export type FormDecl = Manifest['forms'][number];
export type Fixture = FromSchema<typeof fixtureSchema>;
export type Operator = (typeof OPERATORS)[number];
export type LeafCondition = FromSchema<typeof leafConditionSchema>;
export type DerivedFact = FromSchema<typeof derivedFactSchema>;

// json-schema-to-ts does not follow recursive $refs: the boolean nodes are spelled out
// here from the same meta-schema definitions (all / any / not).
export type AllCondition = { all: Condition[]; name?: string; priority?: number };
export type AnyCondition = { any: Condition[]; name?: string; priority?: number };
export type NotCondition = { not: Condition; name?: string; priority?: number };
export type BooleanCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | BooleanCondition;

export type Rule = FromSchema<typeof ruleCoreSchema> & { conditions: BooleanCondition; applies?: Condition };
export type RuleSetFile = FromSchema<typeof rulesetCoreSchema> & { rules: Rule[]; derived?: DerivedFact[] };
export type Outcome = RuleSetFile['outcome'];

export const META_SCHEMAS = {
  'manifest.schema.json': manifestSchema,
  'ruleset.schema.json': rulesetSchema,
  'fixture.schema.json': fixtureSchema,
} as const;
