import type { Operator } from '../meta/index.js';

/** One leaf check: a fact compared with what the notice requires. */
export interface Check {
  fact: string;
  label: string;
  operator: Operator;
  actual: unknown;
  required: unknown;
  /** the actual and required values as a person reads them */
  actualText: string;
  requiredText: string;
  passed: boolean;
  clause?: string;
}

export type ConditionResult =
  | ({ kind: 'leaf' } & Check)
  | { kind: 'all' | 'any' | 'not'; name?: string; passed: boolean; children: ConditionResult[] };

export type RuleType = 'criterion' | 'warning' | 'error' | 'points';

/** A rule's result with its explanation. */
export interface CriterionResult {
  rule: string;
  label: string;
  type: RuleType;
  indicator?: string;
  level?: string;
  clause?: string;
  /** false when the rule's `applies` condition does not hold (e.g. another park type) */
  applicable: boolean;
  /** whether the rule's conditions hold */
  passed: boolean;
  /** for warnings/errors: the message shown when the rule fires */
  message?: string;
  points?: number;
  tree: ConditionResult;
  /** the leaves of the tree, in order */
  checks: Check[];
}

export interface LevelOutcome {
  kind: 'level';
  /** the id of the highest level reached, or null */
  level: string | null;
  label: string;
  /** per level: whether its criteria all hold */
  levels: Array<{ id: string; label: string; holds: boolean; failed: string[] }>;
  /** the next level up and the criteria it misses */
  next?: { level: string; label: string; missing: CriterionResult[] };
  /** the level applied for, when the rule set names its field */
  requested?: { level: string; label: string; reached: boolean; missing: CriterionResult[] };
}

export interface EligibilityOutcome {
  kind: 'eligibility';
  eligible: boolean;
  label: string;
  failed: CriterionResult[];
}

export interface ScoreItemResult {
  id: string;
  label: string;
  group?: string;
  max: number;
  self?: number;
  reviewer?: number;
  /** the score counted (reviewer's where the basis is reviewer and they scored it) */
  counted: number;
  /** true when the entered score exceeded the maximum and was capped */
  capped: boolean;
}

export interface ScoreOutcome {
  kind: 'score';
  score: number;
  label: string;
  basis: 'self' | 'reviewer';
  groups: Record<string, number>;
  groupDetails: Array<{ id: string; label: string; raw: number; cap?: number; score: number }>;
  items: ScoreItemResult[];
}

export type OutcomeResult = LevelOutcome | EligibilityOutcome | ScoreOutcome;

export interface Evaluation {
  pack: string;
  packHash: string;
  ruleSet: string;
  title: string;
  outcome: OutcomeResult;
  criteria: CriterionResult[];
  /** non-blocking: shown to reviewers, the applicant is not stopped */
  warnings: CriterionResult[];
  /** blocking */
  errors: CriterionResult[];
  derived: Record<string, { label: string; value: unknown; unit?: string }>;
}

export interface EvalOptions {
  /** override the pack's parameter values */
  parameters?: Record<string, unknown>;
  scoreBasis?: 'self' | 'reviewer';
}
