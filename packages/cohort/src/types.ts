import type { CohortRecord } from './fields.js';

export type { CohortRecord };

/** An org unit (province → city → county); `level` e.g. 'province' | 'city' | 'county'. */
export interface OrgUnit {
  code: string;
  name: string;
  parent?: string;
  level?: string;
}

export interface RunCohortOptions {
  /** Pack parameters (`{ "param": "name" }` and `{"var": "param.name"}` resolve here). */
  parameters?: Record<string, unknown>;
  orgUnits?: OrgUnit[];
}

export interface BreakdownItem {
  kind: 'indicator' | 'bonus';
  id: string;
  title: string;
  /** the indicator value used (for a growth indicator: the growth) or the bonus field value */
  value: number | null;
  /** this year / previous year for growth indicators */
  current?: number | null;
  previous?: number | null;
  /** 满意值 / 不允许值 actually used */
  satisfactory?: number;
  unacceptable?: number;
  /** efficacy score (功效分) before weighting */
  d?: number;
  weight?: number;
  /** points added to the total */
  contribution: number;
  note?: string;
}

export interface CohortDecision {
  id: string;
  reason: string;
}

export interface CohortRecordResult {
  key: string;
  label?: string;
  /** the grading group (cohort) this record belongs to; '' when not grouped */
  group: string;
  score?: number;
  bonus?: number;
  breakdown: BreakdownItem[];
  rank?: number;
  grade?: string;
  /** 1-based seat number inside the grade, when the grade came from a quota seat */
  seat?: number;
  reward?: number;
  /** caps: selected (recommended) within its org unit's cap */
  selected?: boolean;
  excluded?: CohortDecision;
  vetoed?: CohortDecision;
  exempt?: CohortDecision;
  explanation: string[];
}

export interface CohortGroupResult {
  group: string;
  /** number of records in the group */
  size: number;
  /** the count the shares were applied to */
  base: number;
  /** seats computed per grade from the shares */
  seats: Record<string, number>;
  /** records that received each grade (seats + exempt + vetoed + tie moves) */
  counts: Record<string, number>;
  exempt: number;
  excluded: number;
}

export interface CohortCapResult {
  unit: string;
  name: string;
  cap: number;
  candidates: number;
  selected: number;
}

export interface CohortResult {
  stepId: string;
  records: CohortRecordResult[];
  groups: CohortGroupResult[];
  /** counts per grade over all groups, plus `excluded` */
  distribution: Record<string, number>;
  caps?: CohortCapResult[];
  rewardTotal?: number;
  rewardUnit?: string;
  warnings: string[];
}

export interface Problem {
  code: string;
  file: string;
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Thrown only for bad configuration (a missing parameter, 满意值 = 不允许值, …), never for bad data. */
export class CohortConfigError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly pointer: string,
  ) {
    super(message);
    this.name = 'CohortConfigError';
  }
}
