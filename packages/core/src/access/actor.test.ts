import { describe, expect, it } from 'vitest';
import { requirePermission, scopeFor, unitInScope, unitScopePrefix } from './actor.js';
import type { Actor } from './actor.js';
import { ROLE_PERMISSIONS, ROLES, roleHas } from './roles.js';

const actor = (role: Actor['role'], scope: Actor['scope']): Actor => ({
  userId: 'u',
  username: 'u',
  role,
  unitId: null,
  departmentId: null,
  scope,
  sessionId: null,
});

describe('actor and scope', () => {
  it('gives district-bound roles the whole district and others their subtree', () => {
    expect(scopeFor('districtOperator', { id: 'd', path: '/370112/', level: 'district' }, null)).toEqual({
      kind: 'all',
    });
    expect(
      scopeFor(
        'gridWorker',
        { id: 'g', path: '/370112/370112001/370112001001/370112001001001/', level: 'basicGrid' },
        null,
      ),
    ).toMatchObject({ kind: 'unit' });
    expect(scopeFor('departmentHandler', null, 'dep')).toEqual({ kind: 'department', departmentId: 'dep' });
    expect(scopeFor('resident', null, null)).toEqual({ kind: 'none' });
    expect(scopeFor('gridWorker', null, null)).toEqual({ kind: 'none' });
  });

  it('filters units by scope', () => {
    const street = actor('streetOperator', { kind: 'unit', unitId: 's', path: '/370112/370112001/' });
    expect(unitInScope(street, '/370112/370112001/370112001004/')).toBe(true);
    expect(unitInScope(street, '/370112/370112002/')).toBe(false);
    expect(unitInScope(street, '/370112/')).toBe(false);
    expect(unitScopePrefix(actor('departmentHandler', { kind: 'department', departmentId: 'x' }))).toBeNull();
    expect(unitInScope(actor('resident', { kind: 'none' }), '/370112/')).toBe(false);
  });

  it('refuses what a role may not do with FORBIDDEN', () => {
    expect(() => requirePermission(actor('gridWorker', { kind: 'all' }), 'units:import')).toThrow(/may not/);
    expect(() => requirePermission(actor('admin', { kind: 'all' }), 'units:import')).not.toThrow();
  });

  it('grants residents only reporting and reading their own cases, and admins everything', () => {
    expect(ROLE_PERMISSIONS.resident).toEqual(['reports:create', 'cases:read']);
    for (const p of ROLE_PERMISSIONS.admin) expect(roleHas('admin', p)).toBe(true);
    for (const r of ROLES) expect(Array.isArray(ROLE_PERMISSIONS[r])).toBe(true);
  });
});
