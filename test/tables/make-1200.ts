/**
 * Generates a 附件1-style table (the example form test/tables/forms/attachment1.schema.json)
 * with N parks (default 1,200) and writes it as an official-layout xlsx.
 *   pnpm exec tsx test/tables/make-1200.ts [out.xlsx] [N]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { exportXlsx, type Row, type TableForm } from '@yuanping/tables';

export const attachment1: TableForm = JSON.parse(
  readFileSync(new URL('./forms/attachment1.schema.json', import.meta.url), 'utf8'),
) as TableForm;

const counties = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区', '临安区', '桐庐县', '淳安县', '建德市'];

/** Deterministic rows (a linear congruential generator, so every run is the same file). */
export function makeRows(n = 1200): Row[] {
  let seed = 20210622;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return Array.from({ length: n }, (_, i) => {
    const land = r2(30 + rnd() * 300);
    const firms = 10 + Math.floor(rnd() * 120);
    const participating = rnd() < 0.97 ? '是' : '否';
    const row: Row = {
      county: counties[i % counties.length],
      parkCode: `3301${String(i + 1).padStart(5, '0')}`,
      parkName: `示例小微企业园${i + 1}号`,
      parkType: rnd() < 0.8 ? '生产制造类' : '生产性服务类',
      landArea: land,
      floorArea: r2(land * (600 + rnd() * 900)),
      firms,
      employees: firms * (5 + Math.floor(rnd() * 40)),
      concentration: r2(30 + rnd() * 70),
      revenue: r2(land * (50 + rnd() * 900)),
      tax: r2(land * (1 + rnd() * 60)),
      aboveScale: Math.floor(firms * rnd() * 0.4),
      newAboveScale: Math.floor(rnd() * 6),
      highTech: Math.floor(rnd() * 10),
      hiddenChampions: Math.floor(rnd() * 3),
      littleGiants: Math.floor(rnd() * 2),
      participating,
    };
    if (participating === '否') row.reason = '新建成，处于三年过渡期';
    return row;
  });
}

export async function make1200(n = 1200): Promise<Buffer> {
  return exportXlsx(attachment1, makeRows(n), { values: { region: '杭州市' } });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2] ?? 'attachment1-1200.xlsx';
  const n = Number(process.argv[3] ?? 1200);
  writeFileSync(out, await make1200(n));
  console.log(`已生成 ${out}（${n} 行）`);
}
