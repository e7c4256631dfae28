import { describe, expect, it } from 'vitest';
import { CaseActionParams, Role as RoleSchema, StaffRole as StaffRoleSchema } from '@civicgrid/contracts';
import { CASE_ACTIONS, ROLES, STAFF_ROLES } from '@civicgrid/core';

// contracts do not import core (the web uses them alone); these lists must still agree
describe('contracts agree with the domain', () => {
  it('names every case action the machine knows, plus the service-level revisit', () => {
    expect([...CaseActionParams.shape.action.options].sort()).toEqual([...CASE_ACTIONS, 'revisit'].sort());
  });
  it('names the same roles', () => {
    expect([...RoleSchema.options].sort()).toEqual([...ROLES].sort());
    expect([...StaffRoleSchema.options].sort()).toEqual([...STAFF_ROLES].sort());
  });
});
