import { type Permission, PERMISSIONS } from '../http/permissions.js';
import type { OfficeScope } from '../movements/movement.service.js';

export const ROLES = ['admin', 'analyst', 'officer', 'auditor', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in person or a machine token, with what it may do and where. */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  username: string;
  role: Role;
  offices: string[] | 'all';
  permissions: ReadonlySet<Permission>;
}

const READS: Permission[] = PERMISSIONS.filter((permission) => permission.endsWith(':read') && permission !== 'audit:read');

/**
 * What each role may do. Integration accounts get nothing from their role: a machine token carries its
 * own scopes, chosen when it is issued.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  analyst: PERMISSIONS.filter((permission) => !['users:admin', 'audit:read'].includes(permission)),
  officer: [...READS, 'alerts:write', 'cases:write', 'cases:decide', 'screening:review'],
  auditor: [...READS, 'audit:read'],
  integration: [],
};

/** Roles whose users may be limited to offices; the others see every office. */
export const OFFICE_SCOPED_ROLES: readonly Role[] = ['officer'];

export const actorOf = (principal: Principal): string => `${principal.kind}:${principal.username}`;

export const scopeOf = (principal: Principal): OfficeScope => ({ offices: principal.offices });
