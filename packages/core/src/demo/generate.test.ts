// eslint-disable-next-line no-restricted-imports -- tests may read the real outline; core runtime code does not
import { readFileSync } from 'node:fs';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../access/roles.js';
import type { AreaGeometry, MultiPolygonCoords, PolygonCoords } from '../governance/unit.js';
import { codeProblem, DEDICATED_GRID_KINDS, PARENT_LEVEL } from '../governance/unit.js';
import { createRng } from '../shared/random.js';
import { bboxOf, geodesicArea, pointInGeometry } from './geo.js';
import { DEMO_PASSWORD, generateDistrict, readLichengOutline } from './index.js';
import type { DemoDistrict, DemoUnit } from './index.js';

const GEOJSON = new URL('../../../../apps/server/assets/licheng-370112.geojson', import.meta.url);
const outline = readLichengOutline(JSON.parse(readFileSync(GEOJSON, 'utf8')));

let demo: DemoDistrict;
let allUnits: DemoUnit[];
let byCode: Map<string, DemoUnit>;

beforeAll(() => {
  const stages = new Set<string>();
  const t0 = performance.now();
  demo = generateDistrict({ outline, seed: 1, onProgress: (stage) => stages.add(stage) });
  const ms = performance.now() - t0;
  console.info(`generateDistrict: ${ms.toFixed(0)} ms (stages: ${[...stages].join(', ')})`);
  allUnits = [
    demo.district,
    ...demo.streets,
    ...demo.communities,
    ...demo.basicGrids,
    ...demo.dedicatedGrids,
  ];
  byCode = new Map(allUnits.map((u) => [u.code, u]));
});

function coords(g: AreaGeometry): PolygonCoords | MultiPolygonCoords {
  return g.coordinates;
}

function clipArea(polygons: MultiPolygonCoords): number {
  return polygons.reduce((a, p) => a + geodesicArea({ type: 'Polygon', coordinates: p }), 0);
}

interface Boxed {
  unit: DemoUnit;
  box: [number, number, number, number];
}

function boxed(units: DemoUnit[]): Boxed[] {
  return units.map((unit) => ({ unit, box: bboxOf(unit.geometry) }));
}

function containing(items: Boxed[], x: number, y: number): DemoUnit[] {
  return items
    .filter(({ box }) => x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])
    .filter(({ unit }) => pointInGeometry(unit.geometry, x, y))
    .map(({ unit }) => unit);
}

function childrenOf(units: DemoUnit[]): Map<string, DemoUnit[]> {
  const map = new Map<string, DemoUnit[]>();
  for (const u of units) map.set(u.parentCode ?? '', [...(map.get(u.parentCode ?? '') ?? []), u]);
  return map;
}

describe('generateDistrict', () => {
  it('produces the real counts', () => {
    expect(demo.district).toMatchObject({
      code: '370112',
      name: '历城区',
      level: 'district',
      parentCode: null,
    });
    expect(demo.streets).toHaveLength(14);
    expect(demo.communities).toHaveLength(347);
    expect(demo.basicGrids).toHaveLength(1209);
    expect(demo.dedicatedGrids).toHaveLength(1498);
    expect(demo.departments).toHaveLength(17);
    expect(demo.centers).toHaveLength(1 + 14 + 347);
    expect(demo.centers[0]).toEqual({ unitCode: '370112', name: '历城区社会治理中心' });
  });

  it('is deterministic per seed', () => {
    expect(generateDistrict({ outline, seed: 1 })).toEqual(demo);
    const other = generateDistrict({ outline, seed: 2 });
    expect(other.basicGrids.map((g) => g.geometry)).not.toEqual(demo.basicGrids.map((g) => g.geometry));
    expect(other.staff.map((s) => s.name)).not.toEqual(demo.staff.map((s) => s.name));
  });

  it('gives every unit a unique valid code under an existing parent of the right level', () => {
    expect(byCode.size).toBe(allUnits.length);
    for (const u of allUnits) {
      expect(codeProblem(u.level, u.code, u.parentCode), u.code).toBeNull();
      if (u.parentCode === null) continue;
      expect(byCode.get(u.parentCode)?.level, u.code).toBe(PARENT_LEVEL[u.level]);
    }
    for (const g of demo.dedicatedGrids) expect(DEDICATED_GRID_KINDS).toContain(g.kind);
    for (const u of allUnits.filter((x) => x.level !== 'dedicatedGrid')) expect(u.kind).toBeNull();
  });

  it('names plausibly and uniquely', () => {
    expect(new Set(demo.streets.map((s) => s.name)).size).toBe(14);
    expect(demo.streets.map((s) => s.name)).toContain('洪家楼街道');
    const communityNames = demo.communities.map((c) => c.name);
    expect(new Set(communityNames).size).toBe(347);
    for (const n of communityNames) expect(n).toMatch(/(社区|村)$/);
    expect(new Set(demo.dedicatedGrids.map((g) => g.name)).size).toBe(1498);
    for (const g of demo.basicGrids) {
      const community = byCode.get(g.parentCode as string) as DemoUnit;
      expect(g.name).toBe(`${community.name}第${Number(g.code.slice(12))}网格`);
    }
  });

  it('partitions exactly: children areas add up to their parent (within 0.01%)', () => {
    const near = (sum: number, whole: number, what: string) =>
      expect(Math.abs(sum - whole) / whole, what).toBeLessThan(1e-4);
    const streetSum = demo.streets.reduce((a, s) => a + geodesicArea(s.geometry), 0);
    near(streetSum, geodesicArea(outline), 'streets vs district');
    for (const level of [demo.communities, demo.basicGrids]) {
      for (const [parentCode, kids] of childrenOf(level)) {
        const parent = byCode.get(parentCode) as DemoUnit;
        near(
          kids.reduce((a, k) => a + geodesicArea(k.geometry), 0),
          geodesicArea(parent.geometry),
          parentCode,
        );
      }
    }
    for (const u of allUnits)
      expect(Math.abs(u.areaM2 - geodesicArea(u.geometry))).toBeLessThan(1e-6 * u.areaM2);
  });

  it('covers the district without gaps or overlaps (2,000 random points)', () => {
    const rng = createRng(7);
    const [x0, y0, x1, y1] = bboxOf(outline);
    const streets = boxed(demo.streets);
    const communities = boxed(demo.communities);
    const grids = boxed(demo.basicGrids);
    let checked = 0;
    while (checked < 2000) {
      const x = x0 + rng.next() * (x1 - x0);
      const y = y0 + rng.next() * (y1 - y0);
      if (!pointInGeometry(outline, x, y)) continue;
      checked++;
      const [grid, ...more] = containing(grids, x, y);
      expect(more, `${x},${y}`).toHaveLength(0);
      expect(grid, `${x},${y}`).toBeDefined();
      const community = containing(communities, x, y);
      const street = containing(streets, x, y);
      expect(community.map((c) => c.code)).toEqual([grid?.parentCode]);
      expect(street.map((s) => s.code)).toEqual([community[0]?.parentCode]);
    }
  });

  it('has streets whose union is exactly the district outline', () => {
    const streets = demo.streets.map((s) => coords(s.geometry));
    const union = polygonClipping.union(streets[0] as PolygonCoords, ...streets.slice(1));
    expect(clipArea(polygonClipping.xor(union, coords(demo.district.geometry)))).toBeLessThan(1);
    expect(Math.abs(geodesicArea(demo.district.geometry) - geodesicArea(outline))).toBeLessThan(1);
  });

  it('has no overlap between neighbouring basic grids beyond 1 m²', () => {
    // spot check: each grid against its siblings in the first 40 communities
    for (const [, kids] of [...childrenOf(demo.basicGrids)].slice(0, 40)) {
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i] as DemoUnit;
          const b = kids[j] as DemoUnit;
          expect(clipArea(polygonClipping.intersection(coords(a.geometry), coords(b.geometry)))).toBeLessThan(
            1,
          );
        }
      }
    }
  });

  it('keeps dedicated grids inside their basic grid and apart from each other', () => {
    for (const [parentCode, kids] of childrenOf(demo.dedicatedGrids)) {
      const grid = byCode.get(parentCode) as DemoUnit;
      expect(grid.level).toBe('basicGrid');
      for (const d of kids) {
        expect(
          clipArea(polygonClipping.difference(coords(d.geometry), coords(grid.geometry))),
          d.code,
        ).toBeLessThan(1);
        const across = Math.sqrt(d.areaM2);
        expect(across).toBeGreaterThan(5);
        expect(across).toBeLessThan(900);
      }
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = (kids[i] as DemoUnit).geometry;
          const b = (kids[j] as DemoUnit).geometry;
          expect(polygonClipping.intersection(coords(a), coords(b))).toEqual([]);
        }
      }
    }
  });

  it('staffs every grid 1+1+1+N and every community with a mediation team of 3–5', () => {
    const keys = new Set(demo.staff.map((s) => s.key));
    expect(keys.size).toBe(demo.staff.length);
    const perUnit = new Map<string, Map<string, number>>();
    for (const s of demo.staff) {
      expect(s.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(s.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      const roles = perUnit.get(s.unitCode) ?? new Map<string, number>();
      roles.set(s.role, (roles.get(s.role) ?? 0) + 1);
      perUnit.set(s.unitCode, roles);
    }
    for (const g of demo.basicGrids) {
      const roles = perUnit.get(g.code) ?? new Map<string, number>();
      expect([roles.get('gridLeader'), roles.get('gridInstructor'), roles.get('gridWorker')], g.code).toEqual(
        [1, 1, 1],
      );
      const n = (roles.get('mediator') ?? 0) + (roles.get('volunteer') ?? 0);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(4);
    }
    for (const c of demo.communities) {
      const team = demo.staff.filter((s) => s.unitCode === c.code);
      expect(team.length).toBeGreaterThanOrEqual(3);
      expect(team.length).toBeLessThanOrEqual(5);
      for (const s of team) expect(s).toMatchObject({ role: 'mediator', team: 'mediationTeam' });
    }
  });

  it('leaves vacancies only when asked, without changing anything else', () => {
    const withVacancies = generateDistrict({ outline, seed: 1, vacancyRate: 0.1 });
    expect(withVacancies.basicGrids).toEqual(demo.basicGrids);
    const core = ['gridLeader', 'gridInstructor', 'gridWorker'];
    const coreCount = (d: DemoDistrict) => d.staff.filter((s) => core.includes(s.role)).length;
    const missing = 3 * 1209 - coreCount(withVacancies);
    expect(coreCount(demo)).toBe(3 * 1209);
    expect(missing).toBeGreaterThan(60);
    expect(missing).toBeLessThan(190);
    const keys = new Set(demo.staff.map((s) => s.key));
    for (const s of withVacancies.staff) expect(keys.has(s.key)).toBe(true);
  });

  it('has demo accounts for every role, each inside its unit', () => {
    const usernames = demo.accounts.map((a) => a.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const role of ROLES)
      expect(
        demo.accounts.some((a) => a.role === role),
        role,
      ).toBe(true);
    const staffByKey = new Map(demo.staff.map((s) => [s.key, s]));
    for (const a of demo.accounts) {
      expect(a.password).toBe(DEMO_PASSWORD);
      const [x, y] = a.samplePoint;
      const unit = a.unitCode ? (byCode.get(a.unitCode) as DemoUnit) : demo.district;
      expect(pointInGeometry(unit.geometry, x, y), a.username).toBe(true);
      if (a.staffKey)
        expect(staffByKey.get(a.staffKey)).toMatchObject({ unitCode: a.unitCode, role: a.role });
      if (a.role === 'departmentHandler')
        expect(demo.departments.map((d) => d.code)).toContain(a.departmentCode);
    }
    const worker = demo.accounts.find((a) => a.username === 'worker');
    const grid = byCode.get(worker?.unitCode ?? '') as DemoUnit;
    const community = byCode.get(grid.parentCode ?? '') as DemoUnit;
    expect(community.name).toBe('洪楼社区');
    expect(byCode.get(community.parentCode ?? '')?.name).toBe('洪家楼街道');
    expect(demo.accounts.find((a) => a.username === 'community')?.unitCode).toBe(community.code);
    expect(demo.accounts.find((a) => a.username === 'resident')).toMatchObject({ unitCode: null });
    expect(demo.accounts.find((a) => a.username === 'resident')?.phone).toMatch(/^1\d{10}$/);
  });

  it('puts more, smaller grids in the urban west than in the rural south-east', () => {
    const street = (name: string) => demo.streets.find((s) => s.name === name) as DemoUnit;
    const gridsIn = (s: DemoUnit) => demo.basicGrids.filter((g) => g.code.startsWith(s.code));
    const meanArea = (gs: DemoUnit[]) => gs.reduce((a, g) => a + g.areaM2, 0) / gs.length;
    const urban = gridsIn(street('洪家楼街道'));
    const rural = gridsIn(street('柳埠街道'));
    expect(meanArea(urban) * 20).toBeLessThan(meanArea(rural));
    expect(urban.length / street('洪家楼街道').areaM2).toBeGreaterThan(
      (10 * rural.length) / street('柳埠街道').areaM2,
    );
  });
});
