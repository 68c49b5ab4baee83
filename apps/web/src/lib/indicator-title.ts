/**
 * A scorecard item's title as the notices write it, “序号2 一级指标·二级指标”: its 序号,
 * 二级指标 and 三级指标 (一级指标 is the item's group). The scorecard editor shows them as columns
 * and writes the title back; a title without 序号 or without “·” is kept as it is.
 */
export interface IndicatorTitle {
  /** null when the title has no 序号 */
  number: number | null;
  second: string;
  third: string;
}

const NUMBERED = /^序号\s*(\d+)\s*/;

export function splitTitle(title: string): IndicatorTitle {
  const m = NUMBERED.exec(title);
  const rest = m ? title.slice(m[0].length) : title;
  const dot = rest.indexOf('·');
  return { number: m ? Number(m[1]) : null, second: dot < 0 ? rest : rest.slice(0, dot), third: dot < 0 ? '' : rest.slice(dot + 1) };
}

export function composeTitle(t: IndicatorTitle): string {
  const name = t.third ? `${t.second}·${t.third}` : t.second;
  return t.number === null ? name : `序号${t.number} ${name}`;
}

/** The 序号 after the highest of these titles (1 when none has one). */
export function nextNumber(titles: readonly string[]): number {
  return Math.max(0, ...titles.map((t) => splitTitle(t).number ?? 0)) + 1;
}
