import { describe, expect, it } from 'vitest';
import { composeTitle, nextNumber, splitTitle } from './indicator-title';

describe('评分项标题的序号、二级、三级指标', () => {
  it('拆开再拼回，原样不变', () => {
    for (const t of ['序号2 数字技术手段·信息基础设施', '序号37 典型经验', '园区规模', '序号1 规划与组织·组织·细项']) expect(composeTitle(splitTitle(t))).toBe(t);
    expect(splitTitle('序号2 数字技术手段·信息基础设施')).toEqual({ number: 2, second: '数字技术手段', third: '信息基础设施' });
    expect(splitTitle('序号37 典型经验')).toEqual({ number: 37, second: '典型经验', third: '' });
    expect(splitTitle('园区规模')).toEqual({ number: null, second: '园区规模', third: '' });
  });
  it('改一部分只改那一部分', () => {
    expect(composeTitle({ ...splitTitle('序号2 数字技术手段·信息基础设施'), third: '网络' })).toBe('序号2 数字技术手段·网络');
    expect(composeTitle({ ...splitTitle('序号37 典型经验'), third: '案例' })).toBe('序号37 典型经验·案例');
  });
  it('新一项的序号接在最大的后面', () => {
    expect(nextNumber(['序号1 a·b', '序号37 c', 'd'])).toBe(38);
    expect(nextNumber([])).toBe(1);
  });
});
