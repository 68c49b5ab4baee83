/**
 * Numbers compared the way a notice means them. Binary floating point turns
 * 0.1 × 15 into 1.5000000000000002 and 4.5 / 3 into 1.4999999999999998; a notice's
 * "1.5 倍（含）以上" must hold at exactly 1.5. We therefore
 *  - round derived values half-up at their declared precision (decimal, not binary), and
 *  - compare numbers after normalising both sides to 15 significant digits, which
 *    removes the representation noise of IEEE doubles but keeps every digit a person
 *    could have typed.
 */
export function normalize(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(15));
}

/** Decimal half-up rounding at `digits` places (1.005 → 1.01, 2.675 → 2.68). */
export function roundHalfUp(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  // beyond 15 significant digits there is no decimal fraction left to round
  if (Math.abs(x) >= 1e15) return x;
  // Fast path: away from a half the binary product rounds the way the decimal does, and
  // r / 10^d (IEEE division is correctly rounded) is the double nearest to the decimal r·10^-d.
  const f = 10 ** digits;
  const shifted = Math.abs(x) * f;
  const frac = shifted - Math.floor(shifted);
  if (digits <= 15 && Math.abs(frac - 0.5) > Math.max(1e-9, shifted * 4e-15)) {
    const r = Math.round(shifted);
    return r === 0 ? 0 : (x < 0 ? -r : r) / f;
  }
  const n = normalize(x);
  const sign = n < 0 ? -1 : 1;
  const text = String(Math.abs(n));
  if (text.includes('e')) {
    const f = 10 ** digits;
    return (sign * Math.round(normalize(Math.abs(n) * f))) / f;
  }
  const r = Math.round(normalize(Number(`${text}e${digits}`)));
  return sign * Number(`${r}e-${digits}`);
}

export type RoundingMode = 'round' | 'floor' | 'ceil';

/**
 * The one decimal rounding of the runtime (rules, cohort steps, table forms): `round` is half-up
 * (away from zero), `floor` / `ceil` towards −∞ / +∞, all on the decimal value a person typed
 * (15 significant digits), so 2.0049999999999 → 2.00 and 0.45 × 20 = 9.000000000000002 → 9.
 */
export function roundDecimal(x: number, digits: number, mode: RoundingMode = 'round'): number {
  if (mode === 'round') return roundHalfUp(x, digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e15) return x;
  const f = 10 ** digits;
  const shifted = x * f;
  const frac = shifted - Math.floor(shifted);
  // fast path: away from an integer the binary product floors the way the decimal does
  if (digits <= 15 && frac > Math.max(1e-9, Math.abs(shifted) * 4e-15) && 1 - frac > Math.max(1e-9, Math.abs(shifted) * 4e-15)) {
    const r = mode === 'floor' ? Math.floor(shifted) : Math.ceil(shifted);
    return r === 0 ? 0 : r / f;
  }
  const n = normalize(x);
  const text = String(n);
  const exact = normalize(text.includes('e') ? n * f : Number(`${text}e${digits}`));
  const r = mode === 'floor' ? Math.floor(exact) : Math.ceil(exact);
  return r === 0 ? 0 : Number(`${r}e-${digits}`);
}

export function compareNumbers(a: number, b: number): number {
  if (a === b) return 0;
  // Two numbers equal at 15 significant digits differ by less than 1e-14 of the larger;
  // anything further apart compares as it is, without the cost of toPrecision.
  const d = a - b;
  if (Math.abs(d) > 1e-13 * Math.max(Math.abs(a), Math.abs(b))) return d < 0 ? -1 : 1;
  const x = normalize(a);
  const y = normalize(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isNumeric(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
