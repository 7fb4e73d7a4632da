import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { t } from '../i18n/index.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, AriaComponent, CanvasRenderer]);

export type Table = { columns: string[]; rows: (string | number)[][] };

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (table: Table): string => [table.columns, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';

const download = (href: string, filename: string): void => {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
};

/** One dashboard chart with its data as a table for export (and for screen readers, via ECharts' aria). */
export const Chart = ({ id, title, option, table }: { id: string; title: string; option: echarts.EChartsCoreOption; table: Table }) => {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, tooltip: { trigger: 'axis' }, animation: false, ...option }, true);
  }, [option]);

  const empty = table.rows.length === 0;
  return (
    <section className="card chart" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <div className="chart-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="chart-actions">
          <button type="button" disabled={empty} onClick={() => chart.current && download(chart.current.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }), `${id}.png`)}>
            {t.dashboards.exportPng}
          </button>
          <button
            type="button"
            disabled={empty}
            onClick={() => {
              const url = URL.createObjectURL(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }));
              download(url, `${id}.csv`);
              setTimeout(() => URL.revokeObjectURL(url), 1000);
            }}
          >
            {t.dashboards.exportCsv}
          </button>
        </div>
      </div>
      {empty && <p className="muted">{t.dashboards.noData}</p>}
      <div ref={element} className="chart-canvas" role="img" aria-label={title} />
    </section>
  );
};
