// Lint: no notice-specific code in packages/ or apps/. Packs are configuration: their ids,
// the Chinese labels of their forms and rules, and their field names must not appear in
// the runtime. The vocabulary is taken from the packs themselves, so it grows with them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? join(import.meta.dirname, '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'test-results', 'meta', '.data']);
const CODE = /\.(ts|tsx|js|mjs|cjs|css|html)$/;
const TEST = /(\.test\.|\.spec\.|\.e2e\.|\/test\/|\/__tests__\/|\/fixtures\/)/;
// declarations only, no runtime code: the web app's API types are generated from the server's routes (checked here)
const DECLARATIONS = /\.d\.ts$/;

function walk(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    const s = statSync(p);
    if (s.isDirectory()) {
      if (!SKIP_DIRS.has(n)) walk(p, out);
    } else out.push(p);
  }
  return out;
}

const forbidden = new Map<string, string>(); // term → where it comes from
const GENERIC = new Set(['name', 'type', 'title', 'rows', 'items', 'id', 'value', 'remark', 'remarks', 'address', 'phone', 'mobile', 'contact', 'code', 'year', 'level', 'score', 'total', 'date', 'note', 'notes', 'files', 'attachments', 'description', 'summary', 'comment', 'reason']);
// the platform's own words for its org units and parks (every pack's forms may use them too)
const GENERIC_ZH = new Set(['区划代码', '县（市、区）', '园区名称']);
function addTerm(term: string, from: string) {
  const t = term.trim();
  if (!t) return;
  const chinese = /[\u4e00-\u9fff]/.test(t);
  if (chinese ? [...t].length < 4 : t.length < 8 || GENERIC.has(t)) return;
  if (GENERIC_ZH.has(t)) return;
  if (!forbidden.has(t)) forbidden.set(t, from);
}
function collect(v: unknown, from: string, keyIsField = false) {
  if (Array.isArray(v)) return v.forEach((x) => collect(x, from));
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (keyIsField) addTerm(k, from);
      if (['title', 'label', 'name', 'indicator'].includes(k) && typeof x === 'string') addTerm(x, from);
      collect(x, from, k === 'properties');
    }
  }
}
for (const base of ['schemas', 'rules']) {
  for (const f of walk(join(root, base))) {
    if (!f.endsWith('.json') || f.includes('/fixtures/')) continue;
    try {
      const json = JSON.parse(readFileSync(f, 'utf8'));
      collect(json, relative(root, f));
      if (f.endsWith('pack.json') && typeof json.id === 'string') addTerm(json.id, relative(root, f));
    } catch {
      /* a broken pack file is the checker's business */
    }
  }
}
// pack ids are forbidden whatever their length
for (const d of walk(join(root, 'schemas')).filter((f) => f.endsWith('/pack.json'))) {
  const id = relative(join(root, 'schemas'), d).split('/')[0]!;
  forbidden.set(id, `schemas/${id}/pack.json`);
}

let failures = 0;
for (const base of ['packages', 'apps']) {
  for (const f of walk(join(root, base))) {
    const rel = relative(root, f);
    if (!CODE.test(f) || TEST.test('/' + rel) || DECLARATIONS.test(f)) continue;
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [term, from] of forbidden) {
        if (line.includes(term)) {
          failures++;
          console.error(`${rel}:${i + 1}: 运行时代码中出现了通知包专有内容“${term}”（来自 ${from}）`);
        }
      }
    });
  }
}
if (failures) {
  console.error(`\n${failures} 处通知专有内容：通知包的标识、字段名和中文标签只能写在 schemas/ 与 rules/ 中。`);
  process.exit(1);
}
console.log(`notice-free lint: ${forbidden.size} 个通知专有词，packages/ 与 apps/ 中未发现`);
