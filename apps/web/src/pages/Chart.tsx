/**
 * An ECharts chart (bar, line or scatter), loaded on demand with the pages that draw charts (the
 * cohort page, the dashboards). With `label` the chart is an image named for screen readers (the
 * figures themselves are in the table each page shows beside it); with `exportName` a button saves
 * it as a PNG.
 */
import { useEffect, useRef } from 'react';
import { Button } from 'antd';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, CanvasRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** Saves a data URL as a file. */
function saveDataUrl(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function Chart({ option, height = 280, testId, label, exportName }: { option: ChartOption; height?: number; testId?: string; label?: string; exportName?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const inst = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    inst.current = chart;
    chart.setOption(option);
    // the chart follows its box (a grid column settling, the window turning), not only the window
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      inst.current = null;
      chart.dispose();
    };
  }, [option]);
  const exportPng = () => {
    const c = inst.current;
    if (c && exportName) saveDataUrl(c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }), `${exportName}.png`);
  };
  return (
    <div>
      {exportName ? (
        <div style={{ textAlign: 'right' }}>
          <Button size="small" onClick={exportPng} data-testid={testId ? `${testId}-png` : undefined}>
            导出图片
          </Button>
        </div>
      ) : null}
      <div ref={el} style={{ width: '100%', height }} data-testid={testId} {...(label ? { role: 'img', 'aria-label': label } : {})} />
    </div>
  );
}
