/** A structural diff of two packs' files: every changed leaf as file + JSON pointer, old → new. */
export interface Change {
  file: string;
  pointer: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function walk(file: string, ptr: string, a: unknown, b: unknown, out: Change[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = `${ptr}/${esc(k)}`;
      if (!(k in b)) out.push({ file, pointer: p, kind: 'removed', before: a[k] });
      else if (!(k in a)) out.push({ file, pointer: p, kind: 'added', after: b[k] });
      else walk(file, p, a[k], b[k], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = `${ptr}/${i}`;
      if (i >= b.length) out.push({ file, pointer: p, kind: 'removed', before: a[i] });
      else if (i >= a.length) out.push({ file, pointer: p, kind: 'added', after: b[i] });
      else walk(file, p, a[i], b[i], out);
    }
    return;
  }
  out.push({ file, pointer: ptr, kind: 'changed', before: a, after: b });
}

/** Files are compared under their path with the pack id replaced, so two pack ids compare. */
export function diffFiles(a: Record<string, unknown>, aId: string, b: Record<string, unknown>, bId: string): Change[] {
  const norm = (files: Record<string, unknown>, id: string) =>
    new Map(Object.entries(files).map(([p, v]) => [p.replace(`/${id}/`, '/<pack>/'), v]));
  const A = norm(a, aId);
  const B = norm(b, bId);
  const out: Change[] = [];
  for (const f of [...new Set([...A.keys(), ...B.keys()])].sort()) {
    if (!B.has(f)) out.push({ file: f, pointer: '', kind: 'removed' });
    else if (!A.has(f)) out.push({ file: f, pointer: '', kind: 'added' });
    else walk(f, '', A.get(f), B.get(f), out);
  }
  return out;
}
