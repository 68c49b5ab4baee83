/**
 * Bench: the workbench's impact preview (core's impactOf) over 10,000 generated submissions of the
 * digital-demonstration pack (application + scorecard, varied from its fixtures), under a next-year
 * draft that accepts grade A only and moves one point between two scorecard items.
 * Prints the measured time (best of 3). Run: pnpm exec tsx test/bench/impact.bench.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { impactOf, loadPack, packFromFiles, planNextYear, type ImpactSubmission } from '@yuanping/core';

const ROOT = join(import.meta.dirname, '..', '..');
const FROM = 'zj-2022-digital-demo';
const before = await loadPack(FROM, { root: ROOT });
const plan = planNextYear(before.files, { fromId: FROM, newId: 'bench-next', year: 2023 });
const manifest = plan.files['schemas/bench-next/pack.json'] as { parameters: Record<string, { value: unknown }> };
manifest.parameters.eligibleGrades!.value = ['A'];
const card = plan.files['schemas/bench-next/forms/scorecard.schema.json'] as { properties: { scores: { properties: Record<string, { 'x-score': { max: number } }> } } };
const items = Object.values(card.properties.scores.properties);
items[2]!['x-score'].max -= 1;
items[3]!['x-score'].max += 1;
const after = packFromFiles(plan.files, 'bench-next');

const input = (f: string) => (JSON.parse(readFileSync(join(ROOT, 'rules', FROM, 'fixtures', f), 'utf8')) as { input: Record<string, unknown> }).input;
const app = input('e01-eligible-grade-a.json') as { basic: Record<string, unknown> };
const scores = input('s02-typical-self.json');
const grades = ['A', 'B', 'C'];
const subs: ImpactSubmission[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `s${i}`,
  label: `园区${i}`,
  forms: {
    application: { ...app, basic: { ...app.basic, grade2021: grades[i % 3], firms: 20 + (i % 97) } },
    scorecard: scores,
  },
}));

let best = Infinity;
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const r = impactOf(before, after, subs);
  const ms = performance.now() - t0;
  best = Math.min(best, ms);
  console.log(`  第 ${k + 1} 次：${subs.length} 份申报 × ${r.ruleSets.length} 个规则集，${r.changes.length} 项结果变化，${ms.toFixed(0)} ms`);
}
console.log(`  最好成绩 ${best.toFixed(0)} ms（目标：数秒以内）`);
