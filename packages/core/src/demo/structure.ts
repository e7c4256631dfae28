import type { AreaGeometry, Position } from '../governance/unit.js';
import { childCode, readingOrder } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';
import { apportion } from './allocate.js';
import { conformGeometries } from './conform.js';
import { cellDensity, populationDensity, STREET_SEEDS, URBAN_DENSITY } from './density.js';
import { centroidOf, geodesicArea, interiorPoint, polygonsOf, ringSignedArea } from './geo.js';
import type { Setting } from './names-places.js';
import { createCommunityNamer } from './names-places.js';
import { partitionArea } from './partition.js';
import { PreparedGeometry } from './prepared.js';
import { streamRng } from './rng-streams.js';
import { uniformPointInside } from './sampling.js';
import type { DemoProgress, DemoUnit } from './types.js';

export const DISTRICT_CODE = '370112';
export const DISTRICT_NAME = '历城区';
export const STREET_COUNT = 14;
export const COMMUNITY_COUNT = 347;
export const BASIC_GRID_COUNT = 1209;

/** A unit with what later stages need: its prepared geometry and the density setting. */
export interface BuiltUnit extends DemoUnit {
  prepared: PreparedGeometry;
  /** Estimated resident population (from the density model). */
  population: number;
  setting: Setting;
}

export interface BuiltStructure {
  district: BuiltUnit;
  streets: BuiltUnit[];
  communities: BuiltUnit[];
  basicGrids: BuiltUnit[];
}

/** Planar area in degrees² (for row heights only). */
function planarArea(geometry: AreaGeometry): number {
  let a = 0;
  for (const p of polygonsOf(geometry))
    p.forEach((ring, i) => (a += (i === 0 ? 1 : -1) * Math.abs(ringSignedArea(ring))));
  return a;
}

/** Estimated population: area times the mean density at a few random points inside. */
function estimatePopulation(prepared: PreparedGeometry, areaM2: number, rng: Rng): number {
  let sum = 0;
  const n = 12;
  for (let i = 0; i < n; i++) {
    const [x, y] = uniformPointInside(prepared, rng);
    sum += populationDensity(x, y);
  }
  return (areaM2 / 1e6) * (sum / n);
}

/** Orders cells in reading order of their centroids and numbers them under the parent code. */
function numbered(parentCode: string, geometries: AreaGeometry[], parentGeometry: AreaGeometry, first = 1) {
  const rowHeight = Math.sqrt(planarArea(parentGeometry) / Math.max(1, geometries.length));
  const items = geometries.map((geometry, index) => ({ index, geometry, centroid: centroidOf(geometry) }));
  return readingOrder(items, (it) => it.centroid, rowHeight).map((it, i) => ({
    ...it,
    code: childCode(parentCode, first + i),
  }));
}

function settingOf(urbanStreet: boolean, at: Position): Setting {
  if (urbanStreet || populationDensity(at[0], at[1]) >= URBAN_DENSITY) return 'urban';
  return at[1] < 36.6 ? 'mountain' : 'plain';
}

/** Builds the district, its 14 streets, 347 communities and 1,209 basic grids. */
export function buildStructure(
  outline: AreaGeometry,
  seed: number,
  onProgress: DemoProgress,
): BuiltStructure {
  const rng = streamRng(seed, 'structure');
  const districtPrepared = new PreparedGeometry(outline);
  const districtArea = geodesicArea(outline);
  const district: BuiltUnit = {
    code: DISTRICT_CODE,
    name: DISTRICT_NAME,
    level: 'district',
    kind: null,
    parentCode: null,
    geometry: outline,
    areaM2: districtArea,
    prepared: districtPrepared,
    population: estimatePopulation(districtPrepared, districtArea, rng),
    setting: 'urban',
  };

  onProgress('streets', 0, STREET_COUNT);
  const streetCells = partitionArea({
    parent: districtPrepared,
    count: STREET_COUNT,
    rng,
    density: cellDensity,
    lloydSteps: 0,
    seeds: STREET_SEEDS.map((s) => s.at),
  });
  const streets = numbered(DISTRICT_CODE, streetCells.geometries, outline).map((it) => {
    const spec = STREET_SEEDS[it.index] as (typeof STREET_SEEDS)[number];
    return makeUnit(
      it.code,
      spec.name,
      'street',
      DISTRICT_CODE,
      it.geometry,
      spec.urban ? 'urban' : 'plain',
      rng,
    );
  });
  streets.sort((a, b) => a.code.localeCompare(b.code));
  onProgress('streets', STREET_COUNT, STREET_COUNT);

  // communities: more and smaller where people live densely (weight: ∫ sqrt(density) dA)
  const streetWeights = streets.map((s) => {
    let sum = 0;
    for (let i = 0; i < 24; i++) {
      const [x, y] = uniformPointInside(s.prepared, rng);
      sum += cellDensity(x, y);
    }
    return (s.areaM2 / 1e6) * (sum / 24);
  });
  const communityCounts = apportion(streetWeights, COMMUNITY_COUNT, 8, 60);
  const nameCommunity = createCommunityNamer(streamRng(seed, 'community-names'));
  const communities: BuiltUnit[] = [];
  streets.forEach((street, si) => {
    const urbanStreet = STREET_SEEDS.find((s) => s.name === street.name)?.urban ?? false;
    const cells = partitionArea({
      parent: street.prepared,
      count: communityCounts[si] as number,
      rng,
      density: cellDensity,
      lloydSteps: 2,
    });
    for (const it of numbered(street.code, cells.geometries, street.geometry)) {
      const setting = settingOf(urbanStreet, interiorPoint(it.geometry));
      const name = nameCommunity(street.name, setting);
      communities.push(makeUnit(it.code, name, 'community', street.code, it.geometry, setting, rng));
    }
    onProgress('communities', communities.length, COMMUNITY_COUNT);
  });

  // basic grids: 2–6 per community, by estimated population
  const gridCounts = apportion(
    communities.map((c) => c.population),
    BASIC_GRID_COUNT,
    2,
    6,
  );
  const basicGrids: BuiltUnit[] = [];
  communities.forEach((community, ci) => {
    const cells = partitionArea({
      parent: community.prepared,
      count: gridCounts[ci] as number,
      rng,
      density: cellDensity,
      lloydSteps: 2,
    });
    numbered(community.code, cells.geometries, community.geometry).forEach((it, gi) => {
      const name = `${community.name}第${gi + 1}网格`;
      basicGrids.push(
        makeUnit(it.code, name, 'basicGrid', community.code, it.geometry, community.setting, rng),
      );
    });
    if (ci % 10 === 9 || ci === communities.length - 1)
      onProgress('basicGrids', basicGrids.length, BASIC_GRID_COUNT);
  });
  const all = [district, ...streets, ...communities, ...basicGrids];
  const conformed = conformGeometries(all.map((u) => u.geometry));
  all.forEach((u, i) => {
    u.geometry = conformed[i] as AreaGeometry;
    u.prepared = new PreparedGeometry(u.geometry);
    u.areaM2 = geodesicArea(u.geometry);
  });
  onProgress('conform', all.length, all.length);
  return { district, streets, communities, basicGrids };
}

function makeUnit(
  code: string,
  name: string,
  level: 'street' | 'community' | 'basicGrid',
  parentCode: string,
  geometry: AreaGeometry,
  setting: Setting,
  rng: Rng,
): BuiltUnit {
  const prepared = new PreparedGeometry(geometry);
  const areaM2 = geodesicArea(geometry);
  const population = estimatePopulation(prepared, areaM2, rng);
  return { code, name, level, kind: null, parentCode, geometry, areaM2, prepared, population, setting };
}
