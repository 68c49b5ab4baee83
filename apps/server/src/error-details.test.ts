// Problem details typed per code: every place that throws an ApiError with details names a code
// with a details schema (errors.ts ERROR_DETAILS), every schema is used, the OpenAPI document
// holds each as `Problem_<CODE>`, and thrown details are checked against their schema (here for a
// few, and by the test harness on every error answer with details in every server test).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_DETAILS, SERVER_ERRORS } from './errors.js';
import { detailsMismatch } from './testing/error-details.js';
import { makeHarness, type Harness } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SOURCES = [join(ROOT, 'apps', 'server', 'src'), ...readdirSync(join(ROOT, 'packages')).map((p) => join(ROOT, 'packages', p, 'src'))];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'testing') out = out.concat(sourceFiles(p));
    else if (e.isFile() && /\.tsx?$/.test(e.name) && !/\.(test|d)\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every `new ApiError(…)` / `new YuanpingError(…)` of the runtime that passes details: file:line and code. */
function throwsWithDetails(): Array<{ where: string; code: string }> {
  const found: Array<{ where: string; code: string }> = [];
  for (const file of SOURCES.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('ApiError(') && !text.includes('YuanpingError(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && ['ApiError', 'YuanpingError'].includes(n.expression.text)) {
        const args = n.arguments ?? [];
        const first = args[0];
        const extra = args[2];
        const withDetails =
          n.expression.text === 'YuanpingError'
            ? extra !== undefined
            : extra !== undefined && (!ts.isObjectLiteralExpression(extra) || extra.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'details'));
        if (withDetails) {
          const where = `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
          found.push({ where, code: first && ts.isStringLiteral(first) ? first.text : `（非字面量：${first?.getText() ?? ''}）` });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

describe('problem details typed per code', () => {
  const sites = throwsWithDetails();

  it('every place that throws with details names a code that has a details schema, and every schema is thrown', () => {
    expect(sites.length).toBeGreaterThanOrEqual(11);
    for (const s of sites) expect(Object.keys(ERROR_DETAILS), `${s.where}：${s.code}`).toContain(s.code);
    expect(new Set(sites.map((s) => s.code))).toEqual(new Set(Object.keys(ERROR_DETAILS)));
    for (const code of Object.keys(ERROR_DETAILS)) expect(Object.keys(SERVER_ERRORS)).toContain(code);
  });

  it('the check refuses details that do not match their code, and details of a code without a schema', () => {
    expect(detailsMismatch('WINDOW_CLOSED', { stage: '申报', closes: '2026-05-31' })).toBeNull();
    expect(detailsMismatch('WINDOW_CLOSED', { stage: '申报' })).toMatch(/closes/);
    expect(detailsMismatch('PACK_INVALID', [{ code: 'X', file: 'f', pointer: '', message: 'm', severity: 'fatal' }])).toMatch(/severity|allowed/);
    expect(detailsMismatch('CONSISTENCY_MISMATCH', { mismatches: [{ form: 'a' }] })).toMatch(/required/);
    expect(detailsMismatch('NOT_FOUND', { what: 'x' })).toMatch(/ERROR_DETAILS/);
  });

  // each code's details are checked where a test provokes it through the harness (testing/harness.ts checks every problem with details)
  const PROVOKED_IN: Record<keyof typeof ERROR_DETAILS, string> = {
    WINDOW_CLOSED: 'apps/server/src/workflow.test.ts',
    IMPORT_INVALID: 'apps/server/src/people.test.ts',
    WORKBOOK_INVALID: 'apps/server/src/workbook.test.ts',
    PACK_INVALID: 'apps/server/src/error-details.test.ts',
    TABLE_IMPORT_UNREADABLE: 'apps/server/src/table-import.test.ts',
    TABLE_IMPORT_NO_TABLE: 'apps/server/src/table-import.test.ts',
    CONSISTENCY_MISMATCH: 'apps/server/src/consistency.test.ts',
    CONFIRMATION_INCOMPLETE: 'apps/server/src/confirmations.test.ts',
    COHORT_INPUT_EMPTY: 'apps/server/src/results.test.ts',
  };
  it('each code with details is provoked through the harness by a named test', () => {
    for (const [code, file] of Object.entries(PROVOKED_IN)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, `${file} 应触发 ${code}`).toContain(`'${code}'`);
      expect(text, `${file} 应经由测试用的 harness（其 Client 检查 details）`).toMatch(/makeHarness|serverFor\(|testing\/harness/);
    }
  });

  describe('through the API', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('a refused publication answers PACK_INVALID with the checker\'s problems as its details', async () => {
      const admin = await h.login('admin');
      const files = testPackFiles();
      const manifest = files[`schemas/${TEST_PACK_ID}/pack.json`] as Record<string, unknown>;
      const broken = { ...files, [`schemas/${TEST_PACK_ID}/pack.json`]: { ...manifest, forms: [{ id: 'app', title: '申报表', kind: 'nonsense' }] } };
      const r = await admin.post('/api/packs', { id: TEST_PACK_ID, files: broken });
      expect(r.statusCode).toBe(422);
      const p = r.json<{ code: string; details: Array<{ severity: string }> }>();
      expect(p.code).toBe('PACK_INVALID');
      expect(p.details.some((d) => d.severity === 'error')).toBe(true);
      expect(detailsMismatch(p.code, p.details)).toBeNull();
    });

    it('the OpenAPI document holds each code\'s problem as Problem_<CODE>, and the error answers of its status refer to it', async () => {
      await h.app.ready();
      const doc = h.app.swagger() as unknown as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { anyOf?: Array<{ $ref: string }> } }> }> }>>; components: { schemas: Record<string, { properties?: { code?: { const?: string; enum?: string[] } } }> } };
      for (const code of Object.keys(ERROR_DETAILS)) {
        const c = doc.components.schemas[`Problem_${code}`]?.properties?.code;
        expect(c?.const ?? c?.enum, code).toEqual(c?.const === undefined ? [code] : code);
      }
      const publish = doc.paths['/api/packs']?.post?.responses?.['422']?.content?.['application/problem+json']?.schema?.anyOf?.map((s) => s.$ref);
      expect(publish).toEqual(expect.arrayContaining(['#/components/schemas/Problem_PACK_INVALID', '#/components/schemas/Problem']));
    });
  });
});
