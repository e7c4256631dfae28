import { DISTRICT_DEPARTMENTS } from '../governance/departments.js';
import type { AreaGeometry, DedicatedGridKind } from '../governance/unit.js';
import { childCode, readingOrder } from '../governance/unit.js';
import { buildAccounts, pickDemoGrids } from './accounts.js';
import { apportion } from './allocate.js';
import { pickKind, placeDedicated } from './dedicated.js';
import { industryIntensity } from './density.js';
import { centroidOf, geodesicArea } from './geo.js';
import { createPhoneBook } from './names-people.js';
import { createDedicatedNamer } from './names-places.js';
import { buildCenters, buildStaff } from './roster.js';
import { streamRng } from './rng-streams.js';
import { uniformPointInside } from './sampling.js';
import type { BuiltStructure, BuiltUnit } from './structure.js';
import { BASIC_GRID_COUNT, buildStructure, COMMUNITY_COUNT, STREET_COUNT } from './structure.js';
import type { DemoDistrict, DemoProgress, DemoUnit, GenerateDistrictOptions } from './types.js';

const DEDICATED_GRID_COUNT = 1498;
/** The real sizes of Licheng's structure the generator reproduces exactly. */
export const DEMO_COUNTS = {
  streets: STREET_COUNT,
  communities: COMMUNITY_COUNT,
  basicGrids: BASIC_GRID_COUNT,
  dedicatedGrids: DEDICATED_GRID_COUNT,
} as const;

/** Most dedicated grids a single basic grid gets. */
const MAX_DEDICATED_PER_GRID = 8;

/** Plain data of a built unit (drops the generator's working fields). */
function plainUnit(u: BuiltUnit): DemoUnit {
  return {
    code: u.code,
    name: u.name,
    level: u.level,
    kind: u.kind,
    parentCode: u.parentCode,
    geometry: u.geometry,
    areaM2: u.areaM2,
  };
}

/**
 * Generates the demo district of Licheng (历城区) at real scale, deterministically for a seed:
 * 14 streets, 347 communities, 1,209 basic grids, 1,498 dedicated grids, centers, departments,
 * the 1+1+1+N roster and demo accounts. Pure: no I/O, no clock, all randomness from the seed.
 */
export function generateDistrict(options: GenerateDistrictOptions): DemoDistrict {
  const { outline, seed } = options;
  const onProgress = options.onProgress ?? (() => undefined);
  const vacancyRate = Math.min(1, Math.max(0, options.vacancyRate ?? 0));
  const structure = buildStructure(outline, seed, onProgress);
  const dedicatedGrids = buildDedicatedGrids(structure, seed, onProgress);

  const phone = createPhoneBook(streamRng(seed, 'phones'));
  const { grid, otherGrid } = pickDemoGrids(structure);
  const staff = buildStaff(structure, {
    rng: streamRng(seed, 'staff'),
    vacancyRng: streamRng(seed, 'vacancy'),
    vacancyRate,
    phone,
    demoGridCodes: new Set([grid.code, otherGrid.code]),
    onProgress,
  });
  const accounts = buildAccounts({ structure, staff, rng: streamRng(seed, 'accounts'), phone });
  onProgress('accounts', accounts.length, accounts.length);

  return {
    district: plainUnit(structure.district),
    streets: structure.streets.map(plainUnit),
    communities: structure.communities.map(plainUnit),
    basicGrids: structure.basicGrids.map(plainUnit),
    dedicatedGrids,
    centers: buildCenters(structure),
    departments: DISTRICT_DEPARTMENTS.map((d) => ({ ...d, domains: [...d.domains] })),
    staff,
    accounts,
  };
}

/**
 * 1,498 dedicated grids spread over the basic grids by population (more where industry is), each a
 * small rectangle inside its basic grid; numbered 501… per community in reading order.
 */
function buildDedicatedGrids(structure: BuiltStructure, seed: number, onProgress: DemoProgress): DemoUnit[] {
  const rng = streamRng(seed, 'dedicated');
  const nameOf = createDedicatedNamer(streamRng(seed, 'dedicated-names'));
  const { basicGrids, communities, streets } = structure;
  const weights = basicGrids.map((g) => {
    const [x, y] = uniformPointInside(g.prepared, rng);
    return Math.pow(g.population + 50, 0.8) * (1 + 2 * industryIntensity(x, y));
  });
  const counts = apportion(weights, DEDICATED_GRID_COUNT, 0, MAX_DEDICATED_PER_GRID);
  const streetByCode = new Map(streets.map((s) => [s.code, s]));

  interface Draft {
    kind: DedicatedGridKind;
    geometry: AreaGeometry;
    gridCode: string;
  }
  const byCommunity = new Map<string, Draft[]>();
  let placed = 0;
  basicGrids.forEach((grid, gi) => {
    const n = counts[gi] as number;
    if (n === 0) return;
    const kinds = Array.from({ length: n }, () =>
      pickKind(grid.setting, uniformPointInside(grid.prepared, rng), rng),
    );
    // big ones first so they find room
    kinds.sort((a, b) => Number(b === 'industrialPark') - Number(a === 'industrialPark'));
    const shapes = placeDedicated(grid.prepared, grid.areaM2, kinds, rng);
    const list = byCommunity.get(grid.parentCode as string) ?? [];
    shapes.forEach((geometry, i) =>
      list.push({ kind: kinds[i] as DedicatedGridKind, geometry, gridCode: grid.code }),
    );
    byCommunity.set(grid.parentCode as string, list);
    placed += n;
    if (gi % 100 === 99) onProgress('dedicatedGrids', placed, DEDICATED_GRID_COUNT);
  });

  const out: DemoUnit[] = [];
  for (const community of communities) {
    const drafts = byCommunity.get(community.code) ?? [];
    if (drafts.length === 0) continue;
    const street = streetByCode.get(community.parentCode as string) as BuiltUnit;
    const rowHeight = Math.sqrt(community.areaM2 / drafts.length) / 111_320;
    const ordered = readingOrder(drafts, (d) => centroidOf(d.geometry), rowHeight);
    ordered.forEach((d, i) => {
      out.push({
        code: childCode(community.code, 501 + i),
        name: nameOf(d.kind, { community: community.name, street: street.name, setting: community.setting }),
        level: 'dedicatedGrid',
        kind: d.kind,
        parentCode: d.gridCode,
        geometry: d.geometry,
        areaM2: geodesicArea(d.geometry),
      });
    });
  }
  onProgress('dedicatedGrids', DEDICATED_GRID_COUNT, DEDICATED_GRID_COUNT);
  return out;
}
