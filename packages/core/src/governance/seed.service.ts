import { SETTING_REQUIRE_TOTP } from '../access/auth.service.js';
import type { Role, StaffRole } from '../access/roles.js';
import { audit } from '../audit/audit.service.js';
import { geodesicArea, geometryBbox } from '../grids/index.js';
import type { NewStaff, NewUnit } from '../ports.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { DepartmentSeed } from './departments.js';
import type { AreaGeometry, DedicatedGridKind, UnitLevel } from './unit.js';
import { unitPath } from './unit.js';

/** A generated or imported unit: what the seeder needs. */
export interface SeedUnit {
  code: string;
  name: string;
  level: UnitLevel;
  kind?: DedicatedGridKind | null;
  parentCode: string | null;
  geometry: AreaGeometry;
}

export interface SeedAccount {
  username: string;
  password: string;
  role: Role;
  unitCode: string | null;
  departmentCode: string | null;
  displayName: string;
  staffKey: string | null;
  phone: string | null;
}

/** A whole district to load into an empty database. */
export interface DistrictSeed {
  units: SeedUnit[];
  centers: Array<{ unitCode: string; name: string }>;
  departments: readonly DepartmentSeed[];
  staff: Array<{
    key: string;
    unitCode: string;
    role: StaffRole;
    name: string;
    phone: string | null;
    team: string | null;
  }>;
  accounts: SeedAccount[];
  /** Staff must use a second factor (false in the demo). */
  requireTotp: boolean;
  /** Further settings to store (e.g. the demo accounts list). */
  settings?: Record<string, unknown>;
}

/**
 * Loads a district into an empty database in one transaction: units, centers, departments,
 * staff, accounts, settings and one audit row. Refuses a database that already has units.
 */
export async function seedDistrict(
  deps: ServiceDeps,
  seed: DistrictSeed,
  opts: {
    ids?: IdGenerator;
    ctx?: RequestContext;
    onProgress?: (stage: string, done: number, total: number) => void;
  } = {},
) {
  const ids = opts.ids ?? deps.ids;
  const existing = await deps.store.repos.units.countByLevel('/');
  if (Object.values(existing).some((n) => n > 0)) {
    throw new AppError(
      'CONFLICT',
      'the database already holds a district; start from an empty data directory',
    );
  }
  const now = deps.clock.now().toISOString();
  const byCode = new Map<string, { id: string; path: string }>();
  const order: UnitLevel[] = ['district', 'street', 'community', 'basicGrid', 'dedicatedGrid'];
  const units: NewUnit[] = [];
  for (const level of order) {
    for (const u of seed.units.filter((x) => x.level === level)) {
      const parent = u.parentCode ? byCode.get(u.parentCode) : undefined;
      if (u.parentCode && !parent)
        throw new AppError('VALIDATION_FAILED', `unit ${u.code}: parent ${u.parentCode} missing`);
      const id = ids.next();
      const path = unitPath(parent?.path ?? null, u.code);
      byCode.set(u.code, { id, path });
      units.push({
        id,
        code: u.code,
        name: u.name,
        level: u.level,
        kind: u.kind ?? null,
        parentId: parent?.id ?? null,
        path,
        geometry: u.geometry,
        bbox: geometryBbox(u.geometry),
        areaM2: Math.round(geodesicArea(u.geometry)),
      });
    }
  }
  opts.onProgress?.('units prepared', units.length, units.length);
  // hash each demo password separately: every account gets its own salt
  const hashes = new Map<string, string>();
  for (const [i, a] of seed.accounts.entries()) {
    hashes.set(a.username, await deps.passwords.hash(a.password));
    opts.onProgress?.('accounts', i + 1, seed.accounts.length);
  }
  const deptIds = new Map<string, string>();
  const userOfStaff = new Map<string, string>();
  return deps.store.transaction(async (tx) => {
    await tx.units.insertMany(units, now);
    opts.onProgress?.('units stored', units.length, units.length);
    await tx.centers.insertMany(
      seed.centers.map((c) => {
        const u = byCode.get(c.unitCode);
        if (!u) throw new AppError('VALIDATION_FAILED', `center ${c.name}: unit ${c.unitCode} missing`);
        const level = seed.units.find((x) => x.code === c.unitCode)?.level ?? 'community';
        return { id: ids.next(), unitId: u.id, name: c.name, level };
      }),
      now,
    );
    for (const d of seed.departments) {
      const id = ids.next();
      deptIds.set(d.code, id);
      await tx.departments.insert(
        { id, code: d.code, name: d.name, nameEn: d.nameEn, domains: d.domains, isActive: true },
        now,
      );
    }
    for (const a of seed.accounts) {
      const id = ids.next();
      if (a.staffKey) userOfStaff.set(a.staffKey, id);
      await tx.users.insert(
        {
          id,
          username: a.username,
          displayName: a.displayName,
          role: a.role,
          unitId: a.unitCode ? (byCode.get(a.unitCode)?.id ?? null) : null,
          departmentId: a.departmentCode ? (deptIds.get(a.departmentCode) ?? null) : null,
          phone: a.phone,
          passwordHash: hashes.get(a.username) ?? null,
          totpSecret: null,
          totpEnabled: false,
          isDisabled: false,
        },
        now,
      );
    }
    const staff: NewStaff[] = seed.staff.map((s) => {
      const u = byCode.get(s.unitCode);
      if (!u) throw new AppError('VALIDATION_FAILED', `staff ${s.key}: unit ${s.unitCode} missing`);
      return {
        id: ids.next(),
        unitId: u.id,
        role: s.role,
        name: s.name,
        phone: s.phone,
        idNumber: null,
        team: s.team,
        userId: userOfStaff.get(s.key) ?? null,
      };
    });
    await tx.staff.insertMany(staff, now);
    opts.onProgress?.('staff stored', staff.length, staff.length);
    await tx.settings.set(SETTING_REQUIRE_TOTP, seed.requireTotp, now);
    for (const [k, v] of Object.entries(seed.settings ?? {})) await tx.settings.set(k, v, now);
    const counts = {
      units: units.length,
      staff: staff.length,
      accounts: seed.accounts.length,
      departments: seed.departments.length,
    };
    await audit(
      tx,
      deps,
      { userId: 'system', role: 'admin' },
      opts.ctx ?? { requestId: null },
      'district.seed',
      'unit',
      byCode.get(seed.units[0]?.code ?? '')?.id ?? null,
      counts,
    );
    return counts;
  });
}
