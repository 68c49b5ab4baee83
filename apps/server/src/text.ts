/**
 * Text a person writes for the record — a re-score reason, a review comment, a dispute reason:
 * stored trimmed, and when it is required it must contain something visible (" " or a zero-width
 * space is no reason).
 */
import { ApiError } from './errors.js';

// white space, separators, controls and format characters (zero-width space and joiners, BOM,
// soft hyphen, bidi marks): none of them shows as a character
const INVISIBLE = /[\s\p{Z}\p{Cc}\p{Cf}]/u;
const EDGES = /^[\s\p{Z}\p{Cc}\p{Cf}]+|[\s\p{Z}\p{Cc}\p{Cf}]+$/gu;

/** `s` trimmed of invisible characters at both ends; null when nothing visible is left (or no text was sent). */
export function visibleText(s: string | null | undefined): string | null {
  if (typeof s !== 'string') return null;
  const t = s.replace(EDGES, '');
  return t === '' || [...t].every((c) => INVISIBLE.test(c)) ? null : t;
}

/** The trimmed text at `path`, or BAD_REQUEST naming the field with `message` when nothing visible was written. */
export function requiredText(s: string | null | undefined, path: string, message: string): string {
  const t = visibleText(s);
  if (t === null) throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path, code: 'required', message }] });
  return t;
}
