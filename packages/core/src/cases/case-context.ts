import type { Actor } from '../access/actor.js';
import type { UnitRecord } from '../ports.js';
import type { Repositories } from '../ports.js';
import { AppError } from '../shared/errors.js';
import type { CaseRow } from './case-ports.js';

/** The centers above a case's grid, by level (ids), and the grid itself. */
export interface CaseUnits {
  gridUnitId: string;
  communityUnitId: string;
  streetUnitId: string;
  districtUnitId: string;
  /** The lines the case's reports came by. */
  channels: string[];
}

const LEVEL_OF: Record<string, 'basicGrid' | 'community' | 'street' | 'district' | null> = {
  basicGrid: 'basicGrid',
  community: 'community',
  street: 'street',
  district: 'district',
};

/** Loads the units named in a path (`/370112/…/`), in order from the district down. */
export async function unitsOfPath(repos: Repositories, path: string): Promise<UnitRecord[]> {
  const codes = path.split('/').filter(Boolean);
  const byCode = new Map((await repos.units.findManyByCodes(codes)).map((u) => [u.code, u]));
  return codes.flatMap((c) => byCode.get(c) ?? []);
}

/** The chain of centers of the unit a case belongs to. */
export async function caseUnits(
  repos: Repositories,
  c: Pick<CaseRow, 'unitPath'> & { id?: string },
): Promise<CaseUnits> {
  const chain = await unitsOfPath(repos, c.unitPath);
  const by = (level: string) => chain.find((u) => u.level === level)?.id;
  const district = by('district');
  if (!district) throw new AppError('INTERNAL', 'case is outside any district');
  const street = by('street') ?? district;
  const community = by('community') ?? street;
  return {
    districtUnitId: district,
    streetUnitId: street,
    communityUnitId: community,
    gridUnitId: by('basicGrid') ?? community,
    channels: c.id ? await repos.cases.channelsOf(c.id) : [],
  };
}

/** What the state machine needs to know of the caller. */
export async function caseActorOf(repos: Repositories, actor: Actor, inScope: boolean) {
  const unit = actor.unitId ? await repos.units.findById(actor.unitId) : undefined;
  const ancestry = unit ? (await unitsOfPath(repos, unit.path)).map((u) => u.id) : [];
  return {
    userId: actor.userId,
    role: actor.role,
    unitId: actor.unitId,
    unitLevel: unit ? (LEVEL_OF[unit.level] ?? null) : null,
    departmentId: actor.departmentId,
    unitAncestry: ancestry,
    caseInScope: inScope,
  };
}
