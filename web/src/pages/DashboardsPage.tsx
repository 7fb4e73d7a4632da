import { useMemo } from 'react';
import { Chart, type Table } from '../components/Chart.js';
import { label, t } from '../i18n/index.js';
import { useLive } from '../lib/live.js';
import { useFetch } from '../lib/use-fetch.js';

type Row = Record<string, string | number>;
interface Figures {
  since: string;
  movementsByState: Row[];
  movementsByOffice: Row[];
  alertsByTypePerDay: Row[];
  controlledGoodsByRoute: Row[];
  overdueByOffice: Row[];
  detectionsPerDay: Row[];
}

const PALETTE = ['#1c5d99', '#d9480f', '#2b8a3e', '#7048e8', '#e8a200', '#a4133c', '#0b7285', '#5c6f82', '#c2255c', '#364fc7', '#5f3dc4', '#087f5b', '#e67700', '#495057', '#862e9c'];

/** Pivots rows of (x, series, count) into ECharts series and the same numbers as a table. */
const pivot = (rows: Row[], x: string, series: string, seriesLabel: (key: string) => string = (key) => key) => {
  const xs = [...new Set(rows.map((row) => String(row[x])))].sort();
  const keys = [...new Set(rows.map((row) => String(row[series])))];
  const value = new Map(rows.map((row) => [`${String(row[x])}\u0000${String(row[series])}`, Number(row['count'])]));
  const data = keys.map((key) => xs.map((xValue) => value.get(`${xValue}\u0000${key}`) ?? 0));
  const table: Table = { columns: [x, ...keys.map(seriesLabel)], rows: xs.map((xValue, i) => [xValue, ...data.map((values) => values[i]!)]) };
  return { xs, keys, data, table };
};

const stacked = (xs: string[], keys: string[], data: number[][], seriesLabel: (key: string) => string, type: 'bar' | 'line' = 'bar') => ({
  color: PALETTE,
  legend: { type: 'scroll', bottom: 0 },
  grid: { left: 48, right: 16, top: 16, bottom: 56 },
  xAxis: { type: 'category', data: xs, axisLabel: { hideOverlap: true } },
  yAxis: { type: 'value', minInterval: 1 },
  series: keys.map((key, i) => ({ name: seriesLabel(key), type, stack: type === 'bar' ? 'total' : undefined, data: data[i] })),
});

export const DashboardsPage = () => {
  const figures = useFetch<Figures>('/dashboards?days=30');
  useLive((event) => {
    if (event.topic === 'alert' || event.topic === 'movement') figures.reload();
  });

  const charts = useMemo(() => {
    const f = figures.data;
    if (!f) return null;
    const stateName = (key: string) => label(t.states, key);
    const byState: Table = { columns: ['state', 'count'], rows: f.movementsByState.map((row) => [String(row['state']), Number(row['count'])]) };
    const byOffice = pivot(f.movementsByOffice, 'office', 'state', stateName);
    const byType = pivot(f.alertsByTypePerDay, 'day', 'type', (key) => label(t.alertTypes, key));
    const controlledRows = f.controlledGoodsByRoute.map((row) => [`${String(row['departure'])} → ${String(row['destination'])}`, label(t.alertTypes, String(row['type'])), Number(row['count'])] as [string, string, number]);
    const overdue: Table = { columns: ['office', 'count'], rows: f.overdueByOffice.map((row) => [String(row['office']), Number(row['count'])]) };
    const detections = pivot(f.detectionsPerDay, 'day', 'source');
    return [
      {
        id: 'movements-by-state',
        title: t.dashboards.byState,
        table: byState,
        option: {
          color: PALETTE,
          grid: { left: 48, right: 16, top: 16, bottom: 64 },
          xAxis: { type: 'category', data: byState.rows.map((row) => stateName(String(row[0]))), axisLabel: { rotate: 30 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ name: t.dashboards.count, type: 'bar', data: byState.rows.map((row) => row[1]) }],
        },
      },
      { id: 'movements-by-office', title: t.dashboards.byOffice, table: byOffice.table, option: stacked(byOffice.xs, byOffice.keys, byOffice.data, stateName) },
      { id: 'alerts-by-type', title: t.dashboards.alertsByType, table: byType.table, option: stacked(byType.xs, byType.keys, byType.data, (key) => label(t.alertTypes, key), 'line') },
      {
        id: 'controlled-goods',
        title: t.dashboards.controlledGoods,
        table: { columns: ['route', 'type', 'count'], rows: controlledRows },
        option: {
          color: PALETTE,
          grid: { left: 160, right: 16, top: 16, bottom: 32 },
          yAxis: { type: 'category', data: controlledRows.map((row) => `${row[0]} (${row[1]})`) },
          xAxis: { type: 'value', minInterval: 1 },
          series: [{ name: t.dashboards.count, type: 'bar', data: controlledRows.map((row) => row[2]) }],
        },
      },
      {
        id: 'overdue',
        title: t.dashboards.overdue,
        table: overdue,
        option: {
          color: ['#a4133c'],
          grid: { left: 48, right: 16, top: 16, bottom: 48 },
          xAxis: { type: 'category', data: overdue.rows.map((row) => row[0]) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ name: t.dashboards.count, type: 'bar', data: overdue.rows.map((row) => row[1]) }],
        },
      },
      { id: 'detections-per-day', title: t.dashboards.detections, table: detections.table, option: stacked(detections.xs, detections.keys, detections.data, (key) => key) },
    ];
  }, [figures.data]);

  return (
    <section aria-labelledby="dashboards-title">
      <h1 id="dashboards-title">{t.dashboards.title}</h1>
      {figures.error && <p role="alert" className="error">{figures.missing ? t.app.notAvailable : figures.error.message}</p>}
      {!charts && !figures.error && <p>{t.app.loading}</p>}
      <div className="charts">{charts?.map((chart) => <Chart key={chart.id} {...chart} />)}</div>
    </section>
  );
};
