import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { validationError } from './shared/errors.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  /** Folder of the embedded SQLite store. */
  dataDir: string;
  /** When set, PostgreSQL is the store and dataDir is not used for data. */
  databaseUrl: string | null;
  /** Read-only reference data (offices, HS nomenclature, lists, geography). */
  referenceDir: string;
  host: string;
  port: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** How often the overdue sweep runs, in seconds. */
  overdueSweepSeconds: number;
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  referenceDir?: string | undefined;
  host?: string | undefined;
  port?: string | number | undefined;
}

const schema = z.object({
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .nullable(),
  referenceDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  bodyLimitBytes: z.coerce.number().int().min(1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']),
  overdueSweepSeconds: z.coerce.number().int().min(1),
});

const envVariable: Record<keyof Config, string> = {
  dataDir: 'CARAVAN_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  referenceDir: 'CARAVAN_REFERENCE_DIR',
  host: 'HOST',
  port: 'PORT',
  bodyLimitBytes: 'CARAVAN_BODY_LIMIT_BYTES',
  logLevel: 'CARAVAN_LOG_LEVEL',
  overdueSweepSeconds: 'CARAVAN_OVERDUE_SWEEP_SECONDS',
};

/** Flags win over environment variables, which win over defaults. */
export const loadConfig = (
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Config => {
  const raw = {
    dataDir: path.resolve(overrides.dataDir ?? env.CARAVAN_DATA_DIR ?? '.caravan'),
    databaseUrl: overrides.databaseUrl ?? env.DATABASE_URL ?? null,
    referenceDir: path.resolve(
      overrides.referenceDir ?? env.CARAVAN_REFERENCE_DIR ?? path.join(packageRoot, '..', 'shared', 'data'),
    ),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port: overrides.port ?? env.PORT ?? 8080,
    bodyLimitBytes: env.CARAVAN_BODY_LIMIT_BYTES ?? 20 * 1024 * 1024,
    logLevel: env.CARAVAN_LOG_LEVEL ?? 'info',
    overdueSweepSeconds: env.CARAVAN_OVERDUE_SWEEP_SECONDS ?? 60,
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw validationError(
      'Invalid configuration',
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]) as keyof Config;
        return { path: `${key} (${envVariable[key]})`, message: issue.message };
      }),
    );
  }
  return parsed.data;
};
