import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDistrict, readLichengOutline, seedDistrict, seededIdGenerator } from '@civicgrid/core';
import type { AreaGeometry, DistrictSeed, SeedUnit } from '@civicgrid/core';
import type { Services } from './routes/services.js';

/** Settings key where the demo seed records its accounts (without passwords). */
export const SETTING_DEMO_ACCOUNTS = 'demo.accounts';

const OUTLINE = fileURLToPath(new URL('../assets/licheng-370112.geojson', import.meta.url));

/** The real outline of Licheng (shipped in apps/server/assets). */
export function lichengOutline(): AreaGeometry {
  return readLichengOutline(JSON.parse(readFileSync(OUTLINE, 'utf8')) as unknown);
}

/** Generates the demo district for a seed (pure, deterministic). */
export function generateDemo(
  seed: number,
  onProgress?: (stage: string, done: number, total: number) => void,
) {
  return generateDistrict({ outline: lichengOutline(), seed, ...(onProgress && { onProgress }) });
}

/** Builds the demo district from a seed and loads it into an empty database. */
export async function loadDemoDistrict(
  services: Services,
  seed: number,
  onProgress?: (stage: string, done: number, total: number) => void,
) {
  const g = generateDemo(seed, onProgress);
  const unit = (u: {
    code: string;
    name: string;
    level: string;
    kind?: string | null;
    parentCode: string | null;
    geometry: AreaGeometry;
  }): SeedUnit => ({
    code: u.code,
    name: u.name,
    level: u.level as SeedUnit['level'],
    kind: (u.kind ?? null) as SeedUnit['kind'],
    parentCode: u.parentCode,
    geometry: u.geometry,
  });
  const data: DistrictSeed = {
    units: [
      unit({ ...g.district, level: 'district', parentCode: null }),
      ...g.streets.map(unit),
      ...g.communities.map(unit),
      ...g.basicGrids.map(unit),
      ...g.dedicatedGrids.map(unit),
    ],
    centers: g.centers,
    departments: g.departments,
    staff: g.staff,
    accounts: g.accounts,
    requireTotp: false,
    settings: {
      // what `civicgrid demo-accounts` prints (passwords are the documented DEMO_PASSWORD, never stored)
      [SETTING_DEMO_ACCOUNTS]: g.accounts.map((a) => ({
        role: a.role,
        username: a.username,
        unitCode: a.unitCode ?? a.departmentCode ?? null,
        samplePoint: a.samplePoint,
        displayName: a.displayName,
      })),
    },
  };
  // ids derived from the seed: the same seed gives the same rows
  return seedDistrict(services.deps, data, {
    ids: seededIdGenerator(seed, Date.UTC(2026, 0, 1)),
    ...(onProgress && { onProgress }),
  });
}
