import type { Role, StaffRole } from '../access/roles.js';
import type { DepartmentSeed } from '../governance/departments.js';
import type { AreaGeometry, DedicatedGridKind, Position, UnitLevel } from '../governance/unit.js';

/** One unit of the generated structure (district, street, community, basic or dedicated grid). */
export interface DemoUnit {
  code: string;
  name: string;
  level: UnitLevel;
  /** Set for dedicated grids only; null otherwise. */
  kind: DedicatedGridKind | null;
  parentCode: string | null;
  geometry: AreaGeometry;
  /** Geodesic area in m². */
  areaM2: number;
}

/** A governance center (社会治理中心) of the district, a street or a community. */
export interface DemoCenter {
  unitCode: string;
  name: string;
}

/** One member of the "1+1+1+N" roster or of a community mediation team. */
export interface DemoStaff {
  /** Stable key: `${unitCode}-${role}-${n}`. */
  key: string;
  unitCode: string;
  role: StaffRole;
  name: string;
  phone: string;
  team: 'mediationTeam' | null;
}

/** A demo login account. */
export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  unitCode: string | null;
  departmentCode: string | null;
  displayName: string;
  staffKey: string | null;
  phone: string | null;
  /** A point inside the account's unit (inside the district for department, admin and resident). */
  samplePoint: Position;
}

/** Everything the generator produces: plain data, ready to insert. */
export interface DemoDistrict {
  district: DemoUnit;
  streets: DemoUnit[];
  communities: DemoUnit[];
  basicGrids: DemoUnit[];
  dedicatedGrids: DemoUnit[];
  centers: DemoCenter[];
  departments: DepartmentSeed[];
  staff: DemoStaff[];
  accounts: DemoAccount[];
}

/** Reports generation progress: a stage name and how much of it is done. */
export type DemoProgress = (stage: string, done: number, total: number) => void;

export interface GenerateDistrictOptions {
  /** The real Licheng outline (see readLichengOutline). */
  outline: AreaGeometry;
  seed: number;
  onProgress?: DemoProgress;
  /** Share of basic grids (0–1) left without one of the three required roles; default 0. */
  vacancyRate?: number;
}
