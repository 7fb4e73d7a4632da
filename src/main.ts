import { AlertService } from './alerts/alert.service.js';
import { AuditService } from './audit/audit.service.js';
import { CaseAttachments } from './cases/case-attachments.js';
import { CaseService } from './cases/case.service.js';
import type { Config } from './config.js';
import { connect } from './db/connect.js';
import type { Db } from './db/db.js';
import { GoodsControlService } from './goods/goods.service.js';
import { loadNomenclature, type Nomenclature } from './goods/nomenclature.js';
import { MovementService } from './movements/movement.service.js';
import { OfficeService } from './offices/office.service.js';
import { RiskService } from './risk/risk.service.js';
import { MovementScreening } from './screening/movement-screening.js';
import { createScreeningService, type ScreeningService } from './screening/screening.service.js';
import { type Clock, systemClock } from './shared/clock.js';
import { type IdGenerator, ulidGenerator } from './shared/ids.js';
import { Notifier } from './shared/notifier.js';
import { UserService } from './users/user.service.js';
import { loadGeography } from './tracking/geo.js';
import { type TrackingOptions, TrackingService } from './tracking/tracking.service.js';

/** Periodic work the server runs (overdue sweep, queue drains, detector ticks); commands may run it once. */
export interface BackgroundTask {
  name: string;
  everySeconds: number;
  run(): Promise<unknown>;
}

/** Everything a command or the server needs, built once in one place. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  nomenclature: Nomenclature;
  offices: OfficeService;
  movements: MovementService;
  goods: GoodsControlService;
  alerts: AlertService;
  notifier: Notifier;
  users: UserService;
  audit: AuditService;
  risk: RiskService;
  cases: CaseService;
  caseAttachments: CaseAttachments;
  tracking: TrackingService;
  screening: ScreeningService;
  partyScreening: MovementScreening;
  backgroundTasks: BackgroundTask[];
  close(): Promise<void>;
}

export interface ContextOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  db?: Db;
  tracking?: TrackingOptions;
}

export const createAppContext = async (config: Config, overrides: ContextOverrides = {}): Promise<AppContext> => {
  const nomenclature = loadNomenclature(config.referenceDir);
  const db = overrides.db ?? (await connect(config));
  try {
    const clock = overrides.clock ?? systemClock;
    const ids = overrides.ids ?? ulidGenerator();
    const offices = new OfficeService(db, clock);
    await offices.start(config.referenceDir);
    const movements = new MovementService({
      db,
      clock,
      ids,
      references: {
        officeExists: (code) => offices.exists(code),
        checkHsCode: (code) => {
          const checked = nomenclature.check(code);
          return checked.ok ? { ok: true, normalised: checked.code } : { ok: false, reason: checked.reason };
        },
      },
    });
    const alerts = new AlertService({ db, clock, ids });
    const goods = new GoodsControlService({ db, clock, nomenclature, offices, alerts, referenceDir: config.referenceDir });
    await goods.start();
    movements.observe(goods.observer);
    const screening = createScreeningService({ db, clock, ids, config });
    const partyScreening = new MovementScreening({ db, clock, screening, alerts });
    movements.observe(partyScreening.observer);
    const users = new UserService({ db, clock, ids, officeExists: (code) => offices.exists(code) });
    const audit = new AuditService({ db, clock, ids });
    const risk = new RiskService({ db, clock });
    risk.follow(alerts);
    const cases = new CaseService({
      db,
      clock,
      ids,
      alerts,
      movements,
      audit,
      suppressHit: ({ partyKey, entityId, reason, actor }) => screening.suppress({ party: { key: partyKey }, entityId, reason, by: actor }),
    });
    const caseAttachments = new CaseAttachments({ db, clock, ids, audit, cases });
    const notifier = new Notifier();
    const tracking = new TrackingService({ db, clock, alerts, notifier, geo: loadGeography(config.referenceDir), options: overrides.tracking });
    await tracking.start();
    movements.observe(tracking.observer);
    const backgroundTasks: BackgroundTask[] = [
      { name: 'overdue sweep', everySeconds: config.overdueSweepSeconds, run: () => movements.sweepOverdue() },
      { name: 'tracking tick', everySeconds: 60, run: () => tracking.tick() },
      { name: 'telemetry fold', everySeconds: 30, run: () => tracking.foldTelemetry() },
      { name: 'goods checks', everySeconds: 5, run: () => goods.drain() },
      { name: 'party screening', everySeconds: 5, run: () => partyScreening.drain() },
    ];
    return {
      config, db, clock, ids, nomenclature, offices, movements, alerts, tracking,
      notifier,
      goods,
      users,
      audit,
      risk,
      cases,
      caseAttachments,
      screening,
      partyScreening,
      backgroundTasks,
      close: async () => {
        await tracking.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
};
