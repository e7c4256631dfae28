import type { Role } from '../access/roles.js';
import type { Position } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';
import { interiorPoint } from './geo.js';
import { personName } from './names-people.js';
import type { BuiltStructure, BuiltUnit } from './structure.js';
import type { DemoAccount, DemoStaff } from './types.js';

/** The one password of every demo account. */
export const DEMO_PASSWORD = 'Licheng@2026';

/** The street and community whose first grid carries the demo story. */
export const DEMO_STREET_NAME = '洪家楼街道';
export const DEMO_COMMUNITY_NAME = '洪楼社区';

/** The demo grids: the first basic grid of 洪楼社区 (洪家楼街道) and its neighbour grid 002. */
export function pickDemoGrids(structure: BuiltStructure): { grid: BuiltUnit; otherGrid: BuiltUnit } {
  const street = structure.streets.find((s) => s.name === DEMO_STREET_NAME) ?? structure.streets[0];
  const inStreet = structure.communities.filter((c) => c.parentCode === street?.code);
  const community =
    inStreet.find((c) => c.name === DEMO_COMMUNITY_NAME) ?? inStreet[0] ?? structure.communities[0];
  const grids = structure.basicGrids.filter((g) => g.parentCode === community?.code);
  const [grid, otherGrid] = grids;
  if (!grid || !otherGrid) throw new Error('the demo community needs two basic grids');
  return { grid, otherGrid };
}

export interface AccountOptions {
  structure: BuiltStructure;
  staff: DemoStaff[];
  rng: Rng;
  phone: () => string;
}

/**
 * Demo login accounts, at least one per role. Grid accounts sit in the demo grid and are linked to
 * its staff; community, street and district accounts sit on the grid's ancestors.
 */
export function buildAccounts(opts: AccountOptions): DemoAccount[] {
  const { structure, staff, rng, phone } = opts;
  const { grid, otherGrid } = pickDemoGrids(structure);
  const community = structure.communities.find((c) => c.code === grid.parentCode) as BuiltUnit;
  const street = structure.streets.find((s) => s.code === community.parentCode) as BuiltUnit;
  const district = structure.district;
  const gridPoint = interiorPoint(grid.geometry);
  const otherPoint = interiorPoint(otherGrid.geometry);

  const staffAccount = (
    username: string,
    role: Role,
    unit: BuiltUnit,
    key: string,
    at: Position,
  ): DemoAccount => {
    const s = staff.find((m) => m.key === key);
    if (!s) throw new Error(`demo staff ${key} is missing`);
    return {
      username,
      password: DEMO_PASSWORD,
      role,
      unitCode: unit.code,
      departmentCode: null,
      displayName: s.name,
      staffKey: s.key,
      phone: s.phone,
      samplePoint: at,
    };
  };
  const plain = (
    username: string,
    role: Role,
    unitCode: string | null,
    departmentCode: string | null,
  ): DemoAccount => ({
    username,
    password: DEMO_PASSWORD,
    role,
    unitCode,
    departmentCode,
    displayName: personName(rng),
    staffKey: null,
    phone: phone(),
    samplePoint: gridPoint,
  });

  return [
    staffAccount('worker', 'gridWorker', grid, `${grid.code}-gridWorker-1`, gridPoint),
    staffAccount('worker2', 'gridWorker', otherGrid, `${otherGrid.code}-gridWorker-1`, otherPoint),
    staffAccount('leader.grid', 'gridLeader', grid, `${grid.code}-gridLeader-1`, gridPoint),
    staffAccount('instructor', 'gridInstructor', grid, `${grid.code}-gridInstructor-1`, gridPoint),
    staffAccount('mediator', 'mediator', grid, `${grid.code}-mediator-1`, gridPoint),
    staffAccount('volunteer', 'volunteer', grid, `${grid.code}-volunteer-1`, gridPoint),
    plain('community', 'communityOperator', community.code, null),
    plain('street', 'streetOperator', street.code, null),
    plain('district', 'districtOperator', district.code, null),
    plain('dept.urban', 'departmentHandler', null, 'D05'),
    plain('dept.police', 'departmentHandler', null, 'D01'),
    plain('leader', 'leader', district.code, null),
    plain('leader.street', 'leader', street.code, null),
    plain('admin', 'admin', district.code, null),
    plain('resident', 'resident', null, null),
  ];
}
