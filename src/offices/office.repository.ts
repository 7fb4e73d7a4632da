import type { Db, SqlValue } from '../db/db.js';
import type { Office } from './office.js';

interface OfficeRow {
  code: string;
  name: string;
  role: Office['role'];
  mode: Office['mode'];
  country: string;
  neighbour: string | null;
  latitude: number | null;
  longitude: number | null;
  origin: Office['origin'];
  updated_at: string;
}

const toOffice = (row: OfficeRow): Office => ({
  code: row.code,
  name: row.name,
  role: row.role,
  mode: row.mode,
  country: row.country,
  neighbour: row.neighbour,
  latitude: row.latitude === null ? null : Number(row.latitude),
  longitude: row.longitude === null ? null : Number(row.longitude),
  origin: row.origin,
  updatedAt: row.updated_at,
});

const toParams = (office: Office): SqlValue[] => [
  office.code,
  office.name,
  office.role,
  office.mode,
  office.country,
  office.neighbour,
  office.latitude,
  office.longitude,
  office.origin,
  office.updatedAt,
];

const COLUMNS = 'code, name, role, mode, country, neighbour, latitude, longitude, origin, updated_at';

export class OfficeRepository {
  constructor(private readonly db: Db) {}

  async all(): Promise<Office[]> {
    return (await this.db.all<OfficeRow>(`SELECT ${COLUMNS} FROM offices ORDER BY code`)).map(toOffice);
  }

  async find(code: string): Promise<Office | undefined> {
    const row = await this.db.get<OfficeRow>(`SELECT ${COLUMNS} FROM offices WHERE code = ?`, [code]);
    return row && toOffice(row);
  }

  /** Adds reference offices that are not there yet; never overwrites an office a user has changed. */
  async seed(offices: readonly Office[]): Promise<number> {
    const result = await this.db.runMany(
      `INSERT INTO offices (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
      offices.map(toParams),
    );
    return result.changes;
  }

  async upsert(office: Office): Promise<void> {
    await this.db.run(
      `INSERT INTO offices (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, role = excluded.role, mode = excluded.mode,
         country = excluded.country, neighbour = excluded.neighbour, latitude = excluded.latitude,
         longitude = excluded.longitude, origin = excluded.origin, updated_at = excluded.updated_at`,
      toParams(office),
    );
  }
}
