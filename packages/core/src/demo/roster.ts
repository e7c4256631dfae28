import type { StaffRole } from '../access/roles.js';
import type { Rng } from '../shared/random.js';
import { personName } from './names-people.js';
import type { BuiltStructure } from './structure.js';
import type { DemoCenter, DemoProgress, DemoStaff } from './types.js';

/** The three roles every basic grid has exactly one of ("1+1+1"). */
export const GRID_CORE_ROLES = ['gridLeader', 'gridInstructor', 'gridWorker'] as const;

/** The governance center (社会治理中心) of the district, every street and every community. */
export function buildCenters(structure: BuiltStructure): DemoCenter[] {
  const { district, streets, communities } = structure;
  return [district, ...streets, ...communities].map((u) => ({
    unitCode: u.code,
    name: `${u.name}社会治理中心`,
  }));
}

export interface RosterOptions {
  rng: Rng;
  /** Decides vacancies only, so the rest of the roster does not change with the rate. */
  vacancyRng: Rng;
  vacancyRate: number;
  phone: () => string;
  /** Grids that keep a full roster and get at least one mediator and one volunteer. */
  demoGridCodes: ReadonlySet<string>;
  onProgress: DemoProgress;
}

/** Draws 1–4 ("N"), fewer more often. */
function extraCount(rng: Rng): number {
  const r = rng.next();
  return r < 0.3 ? 1 : r < 0.65 ? 2 : r < 0.85 ? 3 : 4;
}

/**
 * The "1+1+1+N" roster: per basic grid one leader, one instructor, one worker and 1–4 mediators or
 * volunteers; per community a volunteer mediation team of 3–5 mediators.
 */
export function buildStaff(structure: BuiltStructure, opts: RosterOptions): DemoStaff[] {
  const { rng, vacancyRng, vacancyRate, phone, demoGridCodes, onProgress } = opts;
  const staff: DemoStaff[] = [];
  const total = structure.basicGrids.length + structure.communities.length;
  let done = 0;
  const member = (unitCode: string, role: StaffRole, n: number, team: DemoStaff['team']): DemoStaff => ({
    key: `${unitCode}-${role}-${n}`,
    unitCode,
    role,
    name: personName(rng),
    phone: phone(),
    team,
  });

  for (const grid of structure.basicGrids) {
    const isDemo = demoGridCodes.has(grid.code);
    const vacant = !isDemo && vacancyRng.chance(vacancyRate) ? vacancyRng.pick(GRID_CORE_ROLES) : null;
    for (const role of GRID_CORE_ROLES) {
      const m = member(grid.code, role, 1, null);
      if (role !== vacant) staff.push(m);
    }
    const n = extraCount(rng);
    const roles: StaffRole[] = [];
    for (let i = 0; i < n; i++) roles.push(rng.chance(0.5) ? 'mediator' : 'volunteer');
    if (isDemo) {
      roles[0] = 'mediator';
      roles[1] = 'volunteer';
    }
    const seen = new Map<StaffRole, number>();
    for (const role of roles) {
      const k = (seen.get(role) ?? 0) + 1;
      seen.set(role, k);
      staff.push(member(grid.code, role, k, null));
    }
    if (++done % 200 === 0) onProgress('staff', done, total);
  }

  for (const community of structure.communities) {
    const size = rng.int(3, 5);
    for (let k = 1; k <= size; k++) staff.push(member(community.code, 'mediator', k, 'mediationTeam'));
    if (++done % 200 === 0) onProgress('staff', done, total);
  }
  onProgress('staff', total, total);
  return staff;
}
