/**
 * Decimal-safe rounding: the value is first brought to 12 significant digits so that
 * binary noise (0.45 × 20 = 9.000000000000002) never changes a seat count or a tie.
 */
export type Rounding = 'floor' | 'round' | 'ceil';

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

export function roundTo(x: number, digits: number, mode: Rounding = 'round'): number {
  const f = POW10[digits] ?? 10 ** digits;
  let scaled = x * f;
  // only values next to a rounding boundary need the (slow) 12-significant-digit normalisation
  const frac = scaled - Math.floor(scaled);
  if (frac === 0) return scaled / f || 0;
  if (frac < 1e-6 || frac > 1 - 1e-6 || Math.abs(frac - 0.5) < 1e-6) scaled = Number(scaled.toPrecision(12));
  let r: number;
  if (mode === 'floor') r = Math.floor(scaled);
  else if (mode === 'ceil') r = Math.ceil(scaled);
  else r = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return r / f || 0;
}

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
