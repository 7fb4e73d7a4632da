import type { Db } from '../db/db.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { Office, OfficeInput } from './office.js';
import { loadReferenceOffices } from './office-reference.js';
import { OfficeRepository } from './office.repository.js';

/**
 * The office registry. Offices are few and read on every declaration, so they are cached in memory and
 * the cache is refreshed on every change made through this service.
 */
export class OfficeService {
  private readonly repository: OfficeRepository;
  private cache = new Map<string, Office>();

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.repository = new OfficeRepository(db);
  }

  /** Seeds offices.csv into the store (never over user changes) and loads the cache. */
  async start(referenceDir: string): Promise<{ seeded: number }> {
    const seeded = await this.repository.seed(loadReferenceOffices(referenceDir, this.clock.now().toISOString()));
    await this.reload();
    return { seeded };
  }

  async reload(): Promise<void> {
    this.cache = new Map((await this.repository.all()).map((office) => [office.code, office]));
  }

  exists(code: string): boolean {
    return this.cache.has(code);
  }

  find(code: string): Office | undefined {
    return this.cache.get(code);
  }

  list(): Office[] {
    return [...this.cache.values()];
  }

  get(code: string): Office {
    const office = this.cache.get(code);
    if (!office) throw notFound('Office', code);
    return office;
  }

  async create(code: string, input: OfficeInput): Promise<Office> {
    if (this.cache.has(code)) {
      throw new DomainError('duplicate', `Office ${code} already exists; change it with PUT /api/v1/offices/${code}`, [
        { path: 'code', message: 'is already registered' },
      ]);
    }
    return this.save(code, input);
  }

  async update(code: string, input: OfficeInput): Promise<Office> {
    this.get(code);
    return this.save(code, input);
  }

  private async save(code: string, input: OfficeInput): Promise<Office> {
    const office: Office = { code, ...input, origin: 'api', updatedAt: this.clock.now().toISOString() };
    await this.repository.upsert(office);
    this.cache.set(code, office);
    return office;
  }
}
