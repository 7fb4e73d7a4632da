import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/db.js';
import { type Permission, PERMISSIONS } from '../http/permissions.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, type FieldIssue, notFound, validationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import { OFFICE_SCOPED_ROLES, type Principal, type Role, ROLE_PERMISSIONS, ROLES } from './principal.js';
import { type TokenRecord, UserRepository, type UserRecord } from './user.repository.js';

/** Session and lockout policy; documented in docs/security.md. */
export const authPolicy = {
  sessionAbsoluteHours: 12,
  sessionIdleMinutes: 120,
  lockAfterFailures: 5,
  lockMinutes: 15,
  ipFailuresPerWindow: 30,
  ipWindowMinutes: 15,
  minPasswordLength: 10,
};

export const DEMO_PASSWORD = 'caravan-demo';
/** The officer of the demo works at Kyzyl Zhar, a road crossing into Russia north of Petropavl. */
export const DEMO_OFFICER_OFFICES = ['KZ000135'];

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const randomSecret = (): string => randomBytes(32).toString('base64url');
const TOKEN_PREFIX = 'cvn_';

/** Verifying against this when the user does not exist keeps the answer time the same either way. */
const UNKNOWN_USER_HASH = hash('not-a-real-password-' + randomSecret());

export interface PublicUser {
  id: string;
  username: string;
  role: Role;
  offices: string[] | 'all';
  disabled: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  offices?: string[] | 'all';
}

export interface UserChange {
  role?: Role;
  offices?: string[] | 'all';
  disabled?: boolean;
  password?: string;
}

export interface SessionStart {
  sessionId: string;
  csrfToken: string;
  user: PublicUser;
}

export const publicUser = (user: UserRecord): PublicUser => ({
  id: user.id,
  username: user.username,
  role: user.role,
  offices: user.offices,
  disabled: user.disabled,
  createdAt: user.createdAt,
});

const principalOf = (user: UserRecord): Principal => ({
  kind: 'user',
  id: user.id,
  username: user.username,
  role: user.role,
  offices: user.offices,
  permissions: new Set(ROLE_PERMISSIONS[user.role]),
});

const minutes = (count: number) => count * 60_000;

export class UserService {
  private readonly failuresByIp = new Map<string, number[]>();

  constructor(private readonly deps: { db: Db; clock: Clock; ids: IdGenerator; officeExists(code: string): boolean }) {}

  private get now(): Date {
    return this.deps.clock.now();
  }

  private checkUser(input: { username?: string; password?: string; role?: Role; offices?: string[] | 'all' }, issues: FieldIssue[]): void {
    if (input.username !== undefined && !/^[a-z0-9][a-z0-9._-]{2,39}$/.test(input.username)) {
      issues.push({ path: 'username', message: 'must be 3 to 40 lower-case letters, digits, dots, dashes or underscores' });
    }
    if (input.password !== undefined && input.password.length < authPolicy.minPasswordLength) {
      issues.push({ path: 'password', message: `must be at least ${authPolicy.minPasswordLength} characters` });
    }
    if (input.role !== undefined && !(ROLES as readonly string[]).includes(input.role)) {
      issues.push({ path: 'role', message: `must be one of ${ROLES.join(', ')}` });
    }
    if (input.role === 'integration') issues.push({ path: 'role', message: 'machines use API tokens, not user accounts' });
  }

  private officesFor(role: Role, offices: string[] | 'all' | undefined, issues: FieldIssue[]): string[] | 'all' {
    if (!OFFICE_SCOPED_ROLES.includes(role)) return 'all';
    if (offices === undefined || offices === 'all' || offices.length === 0) {
      issues.push({ path: 'offices', message: `a ${role} works at one or more offices; name them` });
      return [];
    }
    offices.forEach((office, index) => {
      if (!this.deps.officeExists(office)) issues.push({ path: `offices/${index}`, message: `unknown customs office ${office}` });
    });
    return [...new Set(offices)];
  }

  async create(input: NewUser): Promise<PublicUser> {
    const issues: FieldIssue[] = [];
    this.checkUser(input, issues);
    const offices = this.officesFor(input.role, input.offices, issues);
    if (issues.length > 0) throw validationError('The user is invalid', issues);
    const repository = new UserRepository(this.deps.db);
    if (await repository.userByName(input.username)) {
      throw new DomainError('duplicate', `User ${input.username} already exists`, [{ path: 'username', message: 'is taken' }]);
    }
    const now = this.now.toISOString();
    const user: UserRecord = {
      id: this.deps.ids.next(),
      username: input.username,
      passwordHash: await hash(input.password),
      role: input.role,
      offices,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    await repository.insertUser(user);
    return publicUser(user);
  }

  /** The first administrator; refused once any active admin exists. */
  async createFirstAdmin(username: string, password: string): Promise<PublicUser> {
    if ((await new UserRepository(this.deps.db).countAdmins()) > 0) {
      throw new DomainError('conflict', 'An administrator already exists; further users are created by an administrator');
    }
    return this.create({ username, password, role: 'admin' });
  }

  /**
   * Changes another user. Nobody changes their own role, offices or disabled flag, so a session can never
   * raise its own rights; the last active admin cannot be demoted or disabled.
   */
  async change(id: string, change: UserChange, by: Principal): Promise<{ before: PublicUser; after: PublicUser }> {
    const repository = new UserRepository(this.deps.db);
    const user = await repository.userById(id);
    if (!user) throw notFound('User', id);
    const issues: FieldIssue[] = [];
    if (by.kind === 'user' && by.id === id && (change.role !== undefined || change.offices !== undefined || change.disabled !== undefined)) {
      throw new DomainError('forbidden', 'You cannot change your own role, offices or access', [{ path: 'role', message: 'ask another administrator' }]);
    }
    this.checkUser({ ...(change.role ? { role: change.role } : {}), ...(change.password !== undefined ? { password: change.password } : {}) }, issues);
    const role = change.role ?? user.role;
    const offices = change.offices !== undefined || change.role !== undefined ? this.officesFor(role, change.offices ?? user.offices, issues) : user.offices;
    if (issues.length > 0) throw validationError('The change is invalid', issues);
    const disabled = change.disabled ?? user.disabled;
    if (user.role === 'admin' && !user.disabled && (role !== 'admin' || disabled) && (await repository.countAdmins()) <= 1) {
      throw new DomainError('conflict', 'This is the last active administrator');
    }
    const after: UserRecord = {
      ...user,
      role,
      offices,
      disabled,
      passwordHash: change.password !== undefined ? await hash(change.password) : user.passwordHash,
      failedLogins: change.password !== undefined ? 0 : user.failedLogins,
      lockedUntil: change.password !== undefined ? null : user.lockedUntil,
      updatedAt: this.now.toISOString(),
    };
    await this.deps.db.transaction(async (tx) => {
      const inTx = new UserRepository(tx);
      await inTx.updateUser(after);
      if (disabled || role !== user.role || change.password !== undefined || JSON.stringify(offices) !== JSON.stringify(user.offices)) {
        await inTx.revokeSessionsOf(user.id, after.updatedAt);
      }
    });
    return { before: publicUser(user), after: publicUser(after) };
  }

  async list(): Promise<PublicUser[]> {
    return (await new UserRepository(this.deps.db).users()).map(publicUser);
  }

  private throttleIp(ip: string): void {
    const since = this.now.getTime() - minutes(authPolicy.ipWindowMinutes);
    const recent = (this.failuresByIp.get(ip) ?? []).filter((at) => at > since);
    this.failuresByIp.set(ip, recent);
    if (recent.length >= authPolicy.ipFailuresPerWindow) {
      throw new DomainError('rate_limited', `Too many failed sign-ins from this address; wait ${authPolicy.ipWindowMinutes} minutes`);
    }
  }

  /** Same answer for an unknown user, a wrong password and a disabled account, so names cannot be probed. */
  async login(username: string, password: string, ip: string): Promise<SessionStart> {
    this.throttleIp(ip);
    const repository = new UserRepository(this.deps.db);
    const user = await repository.userByName(username);
    const now = this.now;
    if (user?.lockedUntil && user.lockedUntil > now.toISOString()) {
      throw new DomainError('rate_limited', `Too many failed sign-ins for this account; try again after ${user.lockedUntil.slice(11, 16)} UTC`);
    }
    const matches = await verify(user?.passwordHash ?? (await UNKNOWN_USER_HASH), password);
    if (!user || !matches || user.disabled) {
      this.failuresByIp.get(ip)?.push(now.getTime()) ?? this.failuresByIp.set(ip, [now.getTime()]);
      if (user && !user.disabled) {
        const failedLogins = user.failedLogins + 1;
        const locked = failedLogins >= authPolicy.lockAfterFailures;
        await repository.updateUser({
          ...user,
          failedLogins: locked ? 0 : failedLogins,
          lockedUntil: locked ? new Date(now.getTime() + minutes(authPolicy.lockMinutes)).toISOString() : user.lockedUntil,
          updatedAt: now.toISOString(),
        });
      }
      throw new DomainError('unauthenticated', 'Wrong username or password');
    }
    const sessionId = randomSecret();
    const csrfToken = randomSecret();
    await this.deps.db.transaction(async (tx) => {
      const inTx = new UserRepository(tx);
      await inTx.updateUser({ ...user, failedLogins: 0, lockedUntil: null, updatedAt: now.toISOString() });
      await inTx.insertSession({
        idHash: sha256(sessionId),
        userId: user.id,
        csrfToken,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + authPolicy.sessionAbsoluteHours * 3_600_000).toISOString(),
      });
    });
    return { sessionId, csrfToken, user: publicUser(user) };
  }

  /** The signed-in user of a session cookie, or undefined when it is unknown, expired, idle too long or revoked. */
  async resolveSession(sessionId: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
    const repository = new UserRepository(this.deps.db);
    const idHash = sha256(sessionId);
    const session = await repository.session(idHash);
    const now = this.now;
    if (!session || session.revokedAt || session.expiresAt <= now.toISOString()) return undefined;
    if (now.getTime() - Date.parse(session.lastSeenAt) > minutes(authPolicy.sessionIdleMinutes)) return undefined;
    const user = await repository.userById(session.userId);
    if (!user || user.disabled) return undefined;
    if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000) await repository.touchSession(idHash, now.toISOString());
    return { principal: principalOf(user), csrfToken: session.csrfToken };
  }

  async logout(sessionId: string): Promise<void> {
    await new UserRepository(this.deps.db).revokeSession(sha256(sessionId), this.now.toISOString());
  }

  /** Issues a machine token; the secret is returned once and only its hash is kept. */
  async createToken(
    input: { name: string; scopes: string[]; offices?: string[] | 'all'; expiresInDays?: number },
    createdBy: string,
  ): Promise<{ token: string; record: TokenRecord }> {
    const issues: FieldIssue[] = [];
    if (!/^[a-z0-9][a-z0-9._-]{2,59}$/.test(input.name)) issues.push({ path: 'name', message: 'must be 3 to 60 lower-case letters, digits, dots, dashes or underscores' });
    if (input.scopes.length === 0) issues.push({ path: 'scopes', message: 'name at least one permission' });
    input.scopes.forEach((scope, index) => {
      if (!(PERMISSIONS as readonly string[]).includes(scope)) issues.push({ path: `scopes/${index}`, message: `unknown permission ${scope}` });
      if (scope === 'users:admin') issues.push({ path: `scopes/${index}`, message: 'machine tokens cannot administer users' });
    });
    const offices = input.offices ?? 'all';
    if (offices !== 'all') offices.forEach((office, index) => !this.deps.officeExists(office) && issues.push({ path: `offices/${index}`, message: `unknown customs office ${office}` }));
    if (input.expiresInDays !== undefined && !(Number.isInteger(input.expiresInDays) && input.expiresInDays > 0)) {
      issues.push({ path: 'expiresInDays', message: 'must be a positive whole number of days' });
    }
    if (issues.length > 0) throw validationError('The token request is invalid', issues);
    const repository = new UserRepository(this.deps.db);
    if (await repository.tokenByName(input.name)) throw new DomainError('duplicate', `A token named ${input.name} already exists`, [{ path: 'name', message: 'is taken' }]);
    const now = this.now;
    const record: TokenRecord = {
      id: this.deps.ids.next(),
      name: input.name,
      scopes: [...new Set(input.scopes)],
      offices,
      createdBy,
      createdAt: now.toISOString(),
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null,
      revokedAt: null,
      lastUsedAt: null,
    };
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    await repository.insertToken(record, sha256(token));
    return { token, record };
  }

  async resolveToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const repository = new UserRepository(this.deps.db);
    const record = await repository.tokenByHash(sha256(token));
    const now = this.now.toISOString();
    if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return undefined;
    if (!record.lastUsedAt || Date.parse(now) - Date.parse(record.lastUsedAt) > 60_000) await repository.touchToken(record.id, now);
    return {
      kind: 'token',
      id: record.id,
      username: record.name,
      role: 'integration',
      offices: record.offices,
      permissions: new Set(record.scopes as Permission[]),
    };
  }

  async tokens(): Promise<TokenRecord[]> {
    return new UserRepository(this.deps.db).tokens();
  }

  async revokeToken(idOrName: string): Promise<TokenRecord> {
    const repository = new UserRepository(this.deps.db);
    const record = (await repository.tokens()).find((token) => token.id === idOrName || token.name === idOrName);
    if (!record) throw notFound('Token', idOrName);
    await repository.revokeToken(record.id, this.now.toISOString());
    return { ...record, revokedAt: this.now.toISOString() };
  }

  /** The documented demo accounts; only `caravan demo` and `serve --demo` call this. */
  async ensureDemoAccounts(): Promise<void> {
    const repository = new UserRepository(this.deps.db);
    const accounts: NewUser[] = [
      { username: 'admin', password: DEMO_PASSWORD, role: 'admin' },
      { username: 'analyst', password: DEMO_PASSWORD, role: 'analyst' },
      { username: 'officer', password: DEMO_PASSWORD, role: 'officer', offices: DEMO_OFFICER_OFFICES },
      { username: 'auditor', password: DEMO_PASSWORD, role: 'auditor' },
    ];
    for (const account of accounts) if (!(await repository.userByName(account.username))) await this.create(account);
  }
}

/** Constant-time comparison of the CSRF header with the session's token. */
export const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
