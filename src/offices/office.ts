import { z } from 'zod';
import { officeCodeSchema } from '../movements/declaration.js';

export const OFFICE_ROLES = ['border_crossing', 'inland', 'port', 'foreign_destination'] as const;
export const TRANSPORT_MODES = ['road', 'rail', 'port', 'air', 'multimodal'] as const;

export interface Office {
  code: string;
  name: string;
  role: (typeof OFFICE_ROLES)[number];
  mode: (typeof TRANSPORT_MODES)[number] | null;
  country: string;
  /** For a border crossing: the country on the other side. */
  neighbour: string | null;
  latitude: number | null;
  longitude: number | null;
  /** `reference` when loaded from offices.csv, `api` once changed or added by a user. */
  origin: 'reference' | 'api';
  updatedAt: string;
}

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code in capitals');

export const officeInputSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(120),
    role: z.enum(OFFICE_ROLES, { error: `must be one of ${OFFICE_ROLES.join(', ')}` }),
    mode: z.enum(TRANSPORT_MODES, { error: `must be one of ${TRANSPORT_MODES.join(', ')}` }).nullable().default(null),
    country: countryCode,
    neighbour: countryCode.nullable().default(null),
    latitude: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90').nullable().default(null),
    longitude: z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180').nullable().default(null),
  })
  .refine((office) => (office.latitude === null) === (office.longitude === null), {
    message: 'latitude and longitude go together',
    path: ['longitude'],
  });

export const newOfficeSchema = z.object({ code: officeCodeSchema }).and(officeInputSchema);

export type OfficeInput = z.output<typeof officeInputSchema>;
