import { describe, expect, it } from 'vitest';
import { nextUnitCode, type OrgUnit } from './orgs';

const unit = (code: string, level: OrgUnit['level'], parentCode: string | null): OrgUnit => ({ code, level, parentCode, name: code }) as OrgUnit;

describe('the proposed code of a new unit', () => {
  const units = [unit('330000', 'province', null), unit('330100', 'city', '330000'), unit('330200', 'city', '330000'), unit('330101', 'county', '330100'), unit('330102', 'county', '330100')];
  it("a city's next free county code, a province's next free city code", () => {
    expect(nextUnitCode(units[1]!, units)).toBe('330103');
    expect(nextUnitCode(units[0]!, units)).toBe('330300');
  });
  it('none when all 99 are taken', () => {
    const full = [units[1]!, ...Array.from({ length: 99 }, (_, i) => unit(`3301${String(i + 1).padStart(2, '0')}`, 'county', '330100'))];
    expect(nextUnitCode(units[1]!, full)).toBeUndefined();
  });
});
