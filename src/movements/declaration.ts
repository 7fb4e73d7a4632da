import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.js';

/** A transit declaration as Caravan keeps it: NCTS Phase 5 (IE015) names in camelCase, flattened. */
export interface Address {
  street?: string;
  postcode?: string;
  city?: string;
  country: string;
}

export interface Party {
  name?: string;
  identificationNumber?: string;
  address?: Address;
}

export interface TransportMeans {
  identificationType?: string;
  identification: string;
  nationality?: string;
}

export interface Seal {
  identifier: string;
  electronic: boolean;
  /** The e-seal device that reports telemetry; the identifier itself when the seal is electronic. */
  deviceId?: string;
}

export interface TransportEquipment {
  containerIdentificationNumber?: string;
  seals: Seal[];
}

export interface Guarantee {
  type: string;
  reference?: string;
  amount?: number;
  currency?: string;
}

export interface GoodsItem {
  itemNumber: number;
  hsCode: string;
  description: string;
  grossMass: number;
  netMass?: number;
  packages?: { type: string; count: number };
  value?: { amount: number; currency: string };
  countryOfOrigin?: string;
}

export const DECLARATION_TYPES = ['T', 'T1', 'T2', 'T2F', 'T2SM', 'TIR'] as const;
export type DeclarationType = (typeof DECLARATION_TYPES)[number];

export interface Declaration {
  lrn: string;
  declarationType: DeclarationType;
  officeOfDeparture: string;
  officesOfTransit: string[];
  officesOfExit: string[];
  officeOfDestination: string;
  countriesOfRouting: string[];
  /** Date (YYYY-MM-DD) by which the goods must be presented at destination or exit. */
  limitDate?: string;
  bindingItinerary: boolean;
  consignor: Party;
  consignee: Party;
  holderOfTheTransitProcedure: Party;
  carrier?: Party;
  transportMeans: TransportMeans[];
  transportEquipment: TransportEquipment[];
  guarantee?: Guarantee;
  /** The consignment's gross mass in kg (IE015 Consignment/grossMass), when declared. */
  grossMass?: number;
  goodsItems: GoodsItem[];
}

/** Limits beyond which a figure is a typing error, not a consignment. */
export const declarationLimits = {
  /** Heavier than any single goods item a train or Caspian ferry carries (kg). */
  maxItemMassKg: 10_000_000,
  maxGoodsItems: 999,
  maxValueAmount: 1e12,
  /** Time limit given when a declaration names none: the office of departure would set one. */
  defaultTransitDays: 8,
};

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');

const country = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code in capitals, e.g. KZ');

export const officeCodeSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Z]{2}[A-Z0-9]{6}$/, 'must be an 8-character customs office code, e.g. KZ000101');

const mass = z
  .number({ error: 'must be a number (kilograms)' })
  .positive('must be greater than zero')
  .max(declarationLimits.maxItemMassKg, `must be at most ${declarationLimits.maxItemMassKg} kg`);

const addressSchema = z.object({
  street: text(70).optional(),
  streetAndNumber: text(70).optional(),
  postcode: text(17).optional(),
  city: text(35).optional(),
  country,
});

const partySchema = z
  .object({
    name: text(200).optional(),
    identificationNumber: text(35).optional(),
    address: addressSchema.optional(),
  })
  .refine((party) => party.name !== undefined || party.identificationNumber !== undefined, {
    message: 'needs a name or an identificationNumber',
  });

const sealSchema = z.object({
  identifier: text(35),
  electronic: z.boolean({ error: 'must be true or false' }).default(false),
  deviceId: text(64).optional(),
});

const goodsItemSchema = z
  .object({
    itemNumber: z.number().int().min(1).max(99999).optional(),
    hsCode: z.string({ error: 'must be a string of 6 to 10 digits' }).trim(),
    description: text(512),
    grossMass: mass,
    netMass: z
      .number({ error: 'must be a number (kilograms)' })
      .min(0, 'must not be negative')
      .max(declarationLimits.maxItemMassKg, `must be at most ${declarationLimits.maxItemMassKg} kg`)
      .optional(),
    packages: z
      .object({ type: text(2), count: z.number().int('must be a whole number').min(0, 'must not be negative') })
      .optional(),
    value: z
      .object({
        amount: z.number().min(0, 'must not be negative').max(declarationLimits.maxValueAmount),
        currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 currency code'),
      })
      .optional(),
    countryOfOrigin: country.optional(),
  });

export const declarationSchema = z.object({
  lrn: z
    .string({ error: 'is required (the declarant\u2019s local reference number)' })
    .trim()
    .min(1, 'must not be empty')
    .max(22, 'must be at most 22 characters (NCTS an..22)')
    .regex(/^[A-Za-z0-9./_-]+$/, 'may contain only letters, digits and . / _ -'),
  declarationType: z.enum(DECLARATION_TYPES, { error: `must be one of ${DECLARATION_TYPES.join(', ')}` }),
  officeOfDeparture: officeCodeSchema,
  officesOfTransit: z.array(officeCodeSchema).max(9, 'at most 9 offices of transit').default([]),
  officesOfExit: z.array(officeCodeSchema).max(9, 'at most 9 offices of exit').default([]),
  officeOfDestination: officeCodeSchema,
  countriesOfRouting: z.array(country).max(99).default([]),
  limitDate: z.iso.date({ error: 'must be a date in the form YYYY-MM-DD' }).optional(),
  bindingItinerary: z.boolean({ error: 'must be true or false' }).default(false),
  consignor: partySchema,
  consignee: partySchema,
  holderOfTheTransitProcedure: partySchema,
  carrier: partySchema.optional(),
  transportMeans: z
    .array(z.object({ identificationType: text(2).optional(), identification: text(35), nationality: country.optional() }))
    .default([]),
  transportEquipment: z
    .array(z.object({ containerIdentificationNumber: text(17).optional(), seals: z.array(sealSchema).max(99).default([]) }))
    .default([]),
  guarantee: z
    .object({
      type: text(1),
      reference: text(35).optional(),
      amount: z.number().min(0, 'must not be negative').optional(),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 currency code').optional(),
    })
    .optional(),
  grossMass: mass.optional(),
  goodsItems: z
    .array(goodsItemSchema)
    .min(1, 'a declaration needs at least one goods item')
    .max(declarationLimits.maxGoodsItems),
});

export type DeclarationInput = z.input<typeof declarationSchema>;

const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('/');

export const toFieldIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: issuePath(issue.path),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));

const compactParty = (party: z.output<typeof partySchema>): Party => {
  const result: Party = {};
  if (party.name !== undefined) result.name = party.name;
  if (party.identificationNumber !== undefined) result.identificationNumber = party.identificationNumber;
  if (party.address) {
    const { streetAndNumber, street, ...rest } = party.address;
    const line = street ?? streetAndNumber;
    result.address = { ...rest, ...(line !== undefined ? { street: line } : {}) };
  }
  return result;
};

/** Shape and type checks only; whether offices and HS codes exist is checked against reference data later. */
export const parseDeclaration = (
  input: unknown,
): { ok: true; declaration: Declaration } | { ok: false; issues: FieldIssue[] } => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'a declaration must be a JSON object' }] };
  }
  const parsed = declarationSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error) };
  const value = parsed.data;
  const declaration: Declaration = {
    ...value,
    consignor: compactParty(value.consignor),
    consignee: compactParty(value.consignee),
    holderOfTheTransitProcedure: compactParty(value.holderOfTheTransitProcedure),
    ...(value.carrier ? { carrier: compactParty(value.carrier) } : {}),
    transportEquipment: value.transportEquipment.map((equipment) => ({
      ...equipment,
      seals: equipment.seals.map((seal) => {
        const deviceId = seal.deviceId ?? (seal.electronic ? seal.identifier : undefined);
        return { identifier: seal.identifier, electronic: seal.electronic || deviceId !== undefined, ...(deviceId ? { deviceId } : {}) };
      }),
    })),
    goodsItems: value.goodsItems.map((item, index) => ({ ...item, itemNumber: item.itemNumber ?? index + 1 })),
  };
  return { ok: true, declaration };
};

/** LRNs are unique per declarant: the holder of the procedure, by identification number when given. */
export const declarantKey = (declaration: Declaration): string => {
  const holder = declaration.holderOfTheTransitProcedure;
  return holder.identificationNumber
    ? `id:${holder.identificationNumber.toUpperCase()}`
    : `name:${(holder.name ?? '').toUpperCase().replace(/\s+/g, ' ')}`;
};

export const electronicSealDevices = (declaration: Declaration): string[] => [
  ...new Set(
    declaration.transportEquipment.flatMap((equipment) =>
      equipment.seals.flatMap((seal) => (seal.deviceId ? [seal.deviceId] : [])),
    ),
  ),
];

export interface ReferenceChecks {
  officeExists(code: string): boolean;
  checkHsCode(code: string): { ok: true; normalised: string } | { ok: false; reason: string };
}

/** Checks that need reference data or the clock: office codes, HS codes, dates. */
export const checkDeclarationReferences = (
  declaration: Declaration,
  references: ReferenceChecks,
  declaredOn: string,
): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const office = (code: string, path: string) => {
    if (!references.officeExists(code)) issues.push({ path, message: `unknown customs office ${code}` });
  };
  office(declaration.officeOfDeparture, 'officeOfDeparture');
  office(declaration.officeOfDestination, 'officeOfDestination');
  declaration.officesOfTransit.forEach((code, index) => office(code, `officesOfTransit/${index}`));
  declaration.officesOfExit.forEach((code, index) => office(code, `officesOfExit/${index}`));
  declaration.goodsItems.forEach((item, index) => {
    const result = references.checkHsCode(item.hsCode);
    if (!result.ok) issues.push({ path: `goodsItems/${index}/hsCode`, message: result.reason });
  });
  if (declaration.limitDate !== undefined && declaration.limitDate < declaredOn) {
    issues.push({
      path: 'limitDate',
      message: `${declaration.limitDate} is before the declaration date ${declaredOn}`,
    });
  }
  return issues;
};
