import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.js';
import { officeCodeSchema, toFieldIssues } from './declaration.js';
import { OFFICE_EVENT_TYPES, type OfficeEventType } from './movement.js';
import { MRN_PATTERN } from './mrn.js';

/** A lifecycle event as offices send it (contracts/events.example.ndjson). */
export interface OfficeEvent {
  id: string;
  lrn?: string;
  mrn?: string;
  type: OfficeEventType;
  time: string;
  office?: string;
  details?: Record<string, unknown>;
}

export const officeEventSchema = z
  .object({
    id: z
      .string({ error: 'is required (a unique id; re-sending it is a no-op)' })
      .trim()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .regex(/^[A-Za-z0-9:._-]+$/, 'may contain only letters, digits and : . _ -'),
    lrn: z.string().trim().min(1).max(22).optional(),
    mrn: z.string().trim().regex(MRN_PATTERN, 'must be an 18-character MRN').optional(),
    type: z.enum(OFFICE_EVENT_TYPES, { error: `must be one of ${OFFICE_EVENT_TYPES.join(', ')}` }),
    time: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-25T07:30:00Z' }),
    office: officeCodeSchema.optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((event) => event.lrn !== undefined || event.mrn !== undefined, {
    message: 'an event names its movement by lrn or mrn',
    path: ['mrn'],
  });

export const parseOfficeEvent = (input: unknown): { ok: true; event: OfficeEvent } | { ok: false; issues: FieldIssue[] } => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'an event must be a JSON object' }] };
  }
  const parsed = officeEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error) };
  const { time, ...rest } = parsed.data;
  return { ok: true, event: { ...rest, time: new Date(time).toISOString() } as OfficeEvent };
};
