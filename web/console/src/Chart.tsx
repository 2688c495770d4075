import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * An ECharts chart. The canvas is described for screen readers by `summary`; the numbers
 * themselves are always in the table beside it.
 */
export function Chart({ option, height = 320, summary }: { option: ChartOption; height?: number; summary: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(element.current!, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={element} role="img" aria-label={summary} style={{ width: '100%', height }} />;
}

/** Done and owed side by side, stacked, one bar per name: the charts of 概览 and 谈心谈话. */
export function completionBars(names: string[], done: number[], owed: number[]): ChartOption {
  return {
    // Figures for reading, not a show: drawn at once, so what a screenshot or a printout catches is the whole chart.
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['已谈', '未谈'], top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names, inverse: true },
    series: [
      { name: '已谈', type: 'bar', stack: 'talks', data: done, itemStyle: { color: '#389e0d' } },
      { name: '未谈', type: 'bar', stack: 'talks', data: owed, itemStyle: { color: '#cf1322' } },
    ],
  };
}
