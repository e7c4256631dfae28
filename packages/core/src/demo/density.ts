import type { Position } from '../governance/unit.js';

/**
 * A plausible population model of Licheng: the dense urban west/north-west around 洪家楼 and
 * 山大路, new towns to the east (王舍人, 唐冶), small town seats and a sparse mountainous south-east.
 */

interface Hotspot {
  at: Position;
  /** Peak density, people per km². */
  peak: number;
  /** Spread, km. */
  sigmaKm: number;
}

const HOTSPOTS: readonly Hotspot[] = [
  { at: [117.065, 36.688], peak: 22_000, sigmaKm: 3.2 }, // 山大路 / 洪家楼 / 东风 core
  { at: [117.04, 36.715], peak: 9_000, sigmaKm: 2.8 }, // 全福 / 华山
  { at: [117.1, 36.73], peak: 5_000, sigmaKm: 3 }, // 荷花路
  { at: [117.145, 36.7], peak: 7_000, sigmaKm: 3.2 }, // 王舍人
  { at: [117.185, 36.69], peak: 3_500, sigmaKm: 2.5 }, // 鲍山
  { at: [117.205, 36.665], peak: 6_000, sigmaKm: 3 }, // 唐冶 new town
  { at: [117.265, 36.66], peak: 2_500, sigmaKm: 3 }, // 郭店
  { at: [117.14, 36.62], peak: 2_000, sigmaKm: 3.5 }, // 港沟
  { at: [117.25, 36.765], peak: 1_500, sigmaKm: 3 }, // 董家
  { at: [117.03, 36.51], peak: 1_800, sigmaKm: 2.5 }, // 仲宫 town seat
  { at: [117.15, 36.45], peak: 900, sigmaKm: 2 }, // 柳埠 town seat
];

const INDUSTRY: readonly Hotspot[] = [
  { at: [117.17, 36.715], peak: 1, sigmaKm: 3 }, // 王舍人 steel and logistics
  { at: [117.245, 36.75], peak: 1, sigmaKm: 4 }, // 董家 industrial zone
  { at: [117.28, 36.67], peak: 0.8, sigmaKm: 3 }, // 郭店 industry
  { at: [117.13, 36.76], peak: 0.6, sigmaKm: 3 }, // 荷花路 north logistics
];

const KM_PER_DEG_LAT = 111.32;
const KM_PER_DEG_LNG = 111.32 * Math.cos((36.65 * Math.PI) / 180);

function bump(spots: readonly Hotspot[], lng: number, lat: number): number {
  let sum = 0;
  for (const s of spots) {
    const dx = (lng - s.at[0]) * KM_PER_DEG_LNG;
    const dy = (lat - s.at[1]) * KM_PER_DEG_LAT;
    sum += s.peak * Math.exp(-(dx * dx + dy * dy) / (2 * s.sigmaKm * s.sigmaKm));
  }
  return sum;
}

/** Population density (people per km², plausible not real) at a point. */
export function populationDensity(lng: number, lat: number): number {
  // rural background: the northern plain is denser than the southern mountains
  const t = Math.min(1, Math.max(0, (lat - 36.5) / 0.15));
  const rural = 120 + 280 * t;
  return rural + bump(HOTSPOTS, lng, lat);
}

/** Seed density for communities and grids: cells get smaller where people live densely. */
export function cellDensity(lng: number, lat: number): number {
  return Math.sqrt(populationDensity(lng, lat));
}

/** Industrial intensity in [0, ~1]: more enterprises and industrial parks there. */
export function industryIntensity(lng: number, lat: number): number {
  return Math.min(1, bump(INDUSTRY, lng, lat));
}

/** Density above which a community is an urban 社区 rather than a village 村. */
export const URBAN_DENSITY = 3_000;

export interface StreetSeed {
  name: string;
  /** Approximate centre of the street's territory (a Voronoi seed for the street partition). */
  at: Position;
  /** Urban streets have only 社区, rural ones mostly 村. */
  urban: boolean;
}

/** The 14 streets (街道) with seed points placed like their real territories. */
export const STREET_SEEDS: readonly StreetSeed[] = [
  { name: '山大路街道', at: [117.058, 36.678], urban: true },
  { name: '洪家楼街道', at: [117.07, 36.69], urban: true },
  { name: '东风街道', at: [117.085, 36.7], urban: true },
  { name: '全福街道', at: [117.065, 36.71], urban: true },
  { name: '华山街道', at: [117.04, 36.735], urban: true },
  { name: '荷花路街道', at: [117.1, 36.78], urban: false },
  { name: '王舍人街道', at: [117.14, 36.71], urban: false },
  { name: '鲍山街道', at: [117.18, 36.69], urban: false },
  { name: '郭店街道', at: [117.28, 36.655], urban: false },
  { name: '唐冶街道', at: [117.21, 36.665], urban: false },
  { name: '港沟街道', at: [117.16, 36.6], urban: false },
  { name: '董家街道', at: [117.25, 36.8], urban: false },
  { name: '仲宫街道', at: [117.03, 36.48], urban: false },
  { name: '柳埠街道', at: [117.2, 36.45], urban: false },
];
