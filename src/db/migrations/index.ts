import type { Migration } from './migration.js';
import { migration as movements } from './0001-offices-movements.js';
import { migration as screening } from './0002-screening.js';
import { migration as goods } from './0003-goods.js';
import { migration as tracking } from './0004-tracking.js';
import { migration as usersAudit } from './0005-users-audit.js';
import { migration as alerts } from './0006-alerts.js';
import { migration as riskCases } from './0007-risk-cases.js';
import { migration as partyScreening } from './0008-party-screening.js';
import { migration as caseAttachments } from './0009-case-attachments.js';
import { migration as goodsQueue } from './0010-goods-queue.js';
import { migration as openAlertsQueue } from './0011-open-alerts-queue.js';
import { migration as telemetryMovementIndex } from './0012-telemetry-movement-index.js';
import { migration as telemetryRecent } from './0013-telemetry-recent.js';
import { migration as alertFindingCount } from './0014-alert-finding-count.js';
import { migration as goodsResultsPerMovement } from './0015-goods-results-per-movement.js';

/** In application order. A migration, once released, is never edited: add a new file instead. */
export const migrations: Migration[] = [movements, screening, goods, tracking, usersAudit, alerts, riskCases, partyScreening, caseAttachments, goodsQueue, openAlertsQueue, telemetryMovementIndex, telemetryRecent, alertFindingCount, goodsResultsPerMovement];
