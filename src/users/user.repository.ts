import type { Db } from '../db/db.js';
import type { Role } from './principal.js';

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  offices: string[] | 'all';
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TokenRecord {
  id: string;
  name: string;
  scopes: string[];
  offices: string[] | 'all';
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  offices: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  offices: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  offices: JSON.parse(row.offices) as string[] | 'all',
  disabled: Number(row.disabled) === 1,
  failedLogins: Number(row.failed_logins),
  lockedUntil: row.locked_until,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as string[],
  offices: JSON.parse(row.offices) as string[] | 'all',
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export class UserRepository {
  constructor(private readonly db: Db) {}

  async insertUser(user: UserRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO users (id, username, password_hash, role, offices, disabled, failed_logins, locked_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [user.id, user.username, user.passwordHash, user.role, JSON.stringify(user.offices), user.disabled ? 1 : 0, user.failedLogins, user.lockedUntil, user.createdAt, user.updatedAt],
    );
  }

  async updateUser(user: UserRecord): Promise<void> {
    await this.db.run(
      `UPDATE users SET password_hash = ?, role = ?, offices = ?, disabled = ?, failed_logins = ?, locked_until = ?, updated_at = ? WHERE id = ?`,
      [user.passwordHash, user.role, JSON.stringify(user.offices), user.disabled ? 1 : 0, user.failedLogins, user.lockedUntil, user.updatedAt, user.id],
    );
  }

  async userByName(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row ? toUser(row) : undefined;
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
    return row ? toUser(row) : undefined;
  }

  async users(): Promise<UserRecord[]> {
    return (await this.db.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }

  async countAdmins(): Promise<number> {
    const row = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
    return Number(row?.n);
  }

  async insertSession(session: { idHash: string; userId: string; csrfToken: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.db.run(
      'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
      [session.idHash, session.userId, session.csrfToken, session.createdAt, session.createdAt, session.expiresAt],
    );
  }

  async session(idHash: string): Promise<{ userId: string; csrfToken: string; lastSeenAt: string; expiresAt: string; revokedAt: string | null } | undefined> {
    const row = await this.db.get<{ user_id: string; csrf_token: string; last_seen_at: string; expires_at: string; revoked_at: string | null }>(
      'SELECT user_id, csrf_token, last_seen_at, expires_at, revoked_at FROM sessions WHERE id_hash = ?',
      [idHash],
    );
    return row ? { userId: row.user_id, csrfToken: row.csrf_token, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, revokedAt: row.revoked_at } : undefined;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.db.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?', [at, idHash]);
  }

  async revokeSession(idHash: string, at: string): Promise<void> {
    await this.db.run('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL', [at, idHash]);
  }

  async revokeSessionsOf(userId: string, at: string): Promise<void> {
    await this.db.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId]);
  }

  async insertToken(token: TokenRecord, tokenHash: string): Promise<void> {
    await this.db.run(
      `INSERT INTO api_tokens (id, name, token_hash, scopes, offices, created_by, created_at, expires_at, revoked_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      [token.id, token.name, tokenHash, JSON.stringify(token.scopes), JSON.stringify(token.offices), token.createdBy, token.createdAt, token.expiresAt],
    );
  }

  async tokenByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.db.get<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?', [tokenHash]);
    return row ? toToken(row) : undefined;
  }

  async tokenByName(name: string): Promise<TokenRecord | undefined> {
    const row = await this.db.get<TokenRow>('SELECT * FROM api_tokens WHERE name = ?', [name]);
    return row ? toToken(row) : undefined;
  }

  async tokens(): Promise<TokenRecord[]> {
    return (await this.db.all<TokenRow>('SELECT * FROM api_tokens ORDER BY name')).map(toToken);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return (await this.db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])).changes > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [at, id]);
  }
}
