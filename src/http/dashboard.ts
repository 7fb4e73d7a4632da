import { z } from 'zod';
import type { Db, SqlValue } from '../db/db.js';
import type { AppContext } from '../main.js';
import type { Api } from './route-types.js';

interface Scoped {
  principal?: { offices: readonly string[] | 'all' };
}

type Row = Record<string, string | number | null>;

const count = (rows: Row[]): { [key: string]: string | number }[] =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, key === 'count' ? Number(value) : (value ?? '')])));

/**
 * The figures behind the dashboards, each one grouped query over the movements and alerts tables.
 * A caller limited to some offices counts only movements departing from or destined to one of them.
 */
export const dashboardFigures = async (db: Db, scope: readonly string[] | 'all', since: string) => {
  const params: SqlValue[] = [];
  let movementScope = '';
  if (scope !== 'all') {
    const marks = scope.map(() => '?').join(', ') || "''";
    movementScope = ` AND (m.office_of_departure IN (${marks}) OR m.office_of_destination IN (${marks}))`;
    params.push(...scope, ...scope);
  }
  const alertJoin = `FROM alerts a LEFT JOIN movements m ON m.id = a.movement_id WHERE a.raised_at >= ?${scope === 'all' ? '' : movementScope}`;
  const [byState, byOffice, alertsByType, controlled, overdue, detections] = await Promise.all([
    db.all<Row>(`SELECT m.state AS state, COUNT(*) AS count FROM movements m WHERE 1 = 1${movementScope} GROUP BY m.state ORDER BY count DESC`, params),
    db.all<Row>(
      `SELECT m.office_of_departure AS office, m.state AS state, COUNT(*) AS count FROM movements m WHERE 1 = 1${movementScope} GROUP BY m.office_of_departure, m.state ORDER BY m.office_of_departure`,
      params,
    ),
    db.all<Row>(`SELECT substr(a.raised_at, 1, 10) AS day, a.type AS type, COUNT(*) AS count ${alertJoin} GROUP BY substr(a.raised_at, 1, 10), a.type ORDER BY day`, [since, ...params]),
    db.all<Row>(
      `SELECT m.office_of_departure AS departure, m.office_of_destination AS destination, a.type AS type, COUNT(*) AS count ${alertJoin} AND a.source = 'goods' AND a.type IN ('goods.controlled', 'goods.route_prohibited') GROUP BY m.office_of_departure, m.office_of_destination, a.type ORDER BY count DESC`,
      [since, ...params],
    ),
    db.all<Row>(
      `SELECT m.office_of_departure AS office, COUNT(*) AS count FROM movements m WHERE m.state = 'overdue'${movementScope} GROUP BY m.office_of_departure ORDER BY count DESC`,
      params,
    ),
    db.all<Row>(`SELECT substr(a.raised_at, 1, 10) AS day, a.source AS source, COUNT(*) AS count ${alertJoin} GROUP BY substr(a.raised_at, 1, 10), a.source ORDER BY day`, [since, ...params]),
  ]);
  return {
    since,
    movementsByState: count(byState),
    movementsByOffice: count(byOffice),
    alertsByTypePerDay: count(alertsByType),
    controlledGoodsByRoute: count(controlled),
    overdueByOffice: count(overdue),
    detectionsPerDay: count(detections),
  };
};

export const registerDashboardRoutes = (api: Api, context: AppContext): void => {
  api.get(
    '/dashboards',
    {
      config: { permission: 'movements:read' },
      schema: {
        tags: ['movements'],
        summary: 'Counts behind the dashboards',
        description:
          'Movements by state and by office of departure, alerts by type and day, controlled goods by route (departure → destination), overdue movements by office, detections per day by source. Alert figures cover the last `days` days.',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      },
    },
    async (request) => {
      const scope = (request as typeof request & Scoped).principal?.offices ?? 'all';
      const since = new Date(context.clock.now().getTime() - request.query.days * 86_400_000).toISOString();
      return dashboardFigures(context.db, scope, since);
    },
  );
};
