import { roundDecimal, type RoundingMode } from '@yuanping/core/browser';

/** Rounding of seat counts, scores and shares: core's one decimal rounding. */
export type Rounding = RoundingMode;
export const roundTo: (x: number, digits: number, mode?: Rounding) => number = roundDecimal;

/** Format a number for a Chinese explanation: at most `digits` decimals, no trailing zeros. */
export function fmt(x: number, digits = 2): string {
  const r = roundTo(x, digits);
  return String(r);
}

export function fmtFixed(x: number, digits = 2): string {
  return roundTo(x, digits).toFixed(digits);
}

export function pct(share: number): string {
  return `${roundTo(share * 100, 4)}%`;
}

/** A value counts as a number only if it is a finite JS number (no silent coercion of strings). */
export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
