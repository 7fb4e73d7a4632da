import type { FieldIssue } from '../shared/errors.js';
import type { SealState, TelemetryMessage } from './movement-context.js';

const SEAL_STATES: readonly SealState[] = ['armed', 'opened', 'tampered'];
const EVENT_CODES = new Set(['01', '02', '03', '04', '05', '06', '07']);
/** ISO-8601 with a zone: a time without one cannot be placed on the track. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Faster than any road vehicle reports: a corrupt field, not a fast truck. */
const MAX_REPORTED_SPEED_KMH = 400;
const MAX_ID_LENGTH = 128;

export type ParsedMessage = { ok: true; message: TelemetryMessage } | { ok: false; issues: FieldIssue[] };

const idField = (record: Record<string, unknown>, field: string, issues: FieldIssue[]): string => {
  const value = record[field];
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') issues.push({ path: field, message: 'is required (a non-empty string)' });
  else if (value.length > MAX_ID_LENGTH) issues.push({ path: field, message: `is longer than ${MAX_ID_LENGTH} characters` });
  else return value;
  return '';
};

const numberField = (record: Record<string, unknown>, field: string, min: number, max: number, issues: FieldIssue[]): number => {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) issues.push({ path: field, message: 'is required (a number)' });
  else if (value < min || value > max) issues.push({ path: field, message: `must be between ${min} and ${max}, got ${value}` });
  else return value;
  return 0;
};

/**
 * Checks one e-seal message of contracts/telemetry.example.ndjson against the rules of the device, not
 * of the detectors: every field present and typed, coordinates on the globe (0,0 is a receiver without a
 * fix), the time parseable, with a zone, and not ahead of our clock by more than the allowed skew.
 */
export const parseTelemetryMessage = (input: unknown, now: Date, maxSkewMs: number): ParsedMessage => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'a message is a JSON object' }] };
  }
  const record = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const deviceId = idField(record, 'deviceId', issues);
  const messageId = idField(record, 'messageId', issues);
  let time = '';
  if (typeof record.time !== 'string' || !ISO_WITH_ZONE.test(record.time) || Number.isNaN(Date.parse(record.time))) {
    issues.push({ path: 'time', message: 'must be an ISO-8601 instant with a time zone, e.g. 2026-11-25T08:00:00Z' });
  } else {
    const ms = Date.parse(record.time);
    const ahead = ms - now.getTime();
    if (ahead > maxSkewMs) issues.push({ path: 'time', message: `is ${Math.round(ahead / 1000)} s in the future (allowed skew ${Math.round(maxSkewMs / 1000)} s)` });
    else time = new Date(ms).toISOString();
  }
  const lat = numberField(record, 'lat', -90, 90, issues);
  const lon = numberField(record, 'lon', -180, 180, issues);
  if (lat === 0 && lon === 0 && typeof record.lat === 'number' && typeof record.lon === 'number') {
    issues.push({ path: 'lat', message: '0,0 is a receiver without a position fix, not a place' });
  }
  const speedKmh = numberField(record, 'speedKmh', 0, MAX_REPORTED_SPEED_KMH, issues);
  const battery = numberField(record, 'battery', 0, 100, issues);
  const sealState = record.sealState as SealState;
  if (!SEAL_STATES.includes(sealState)) issues.push({ path: 'sealState', message: `must be one of ${SEAL_STATES.join(', ')}` });
  const eventCode = record.eventCode;
  if (eventCode !== undefined && eventCode !== null && !(typeof eventCode === 'string' && EVENT_CODES.has(eventCode))) {
    issues.push({ path: 'eventCode', message: 'must be an EAEU navigation-seal event code 01-07' });
  }
  if (issues.length > 0) return { ok: false, issues };
  // One fixed shape for every message (eventCode present, maybe undefined): the ingestion path handles
  // tens of thousands a second and a stable shape keeps property access monomorphic.
  return { ok: true, message: { deviceId, messageId, time, lat, lon, speedKmh, sealState, battery, eventCode: typeof eventCode === 'string' ? eventCode : undefined } };
};
