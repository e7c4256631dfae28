import type { AreaGeometry, PolygonCoords, Position } from '../governance/unit.js';
import { AppError } from '../shared/errors.js';

/** The division code of Licheng (历城区). */
export const LICHENG_ADCODE = 370112;

function fail(message: string): never {
  throw new AppError('VALIDATION_FAILED', `Licheng outline: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one ring: at least 4 finite lng/lat positions, closed. */
function checkRing(ring: unknown, where: string): Position[] {
  if (!Array.isArray(ring) || ring.length < 4) fail(`${where} needs at least 4 positions`);
  const out = ring.map((p, i): Position => {
    if (!Array.isArray(p) || p.length < 2) fail(`${where}[${i}] is not a position`);
    const [lng, lat] = p as unknown[];
    if (
      typeof lng !== 'number' ||
      typeof lat !== 'number' ||
      !Number.isFinite(lng) ||
      !Number.isFinite(lat)
    ) {
      fail(`${where}[${i}] has non-numeric coordinates`);
    }
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) fail(`${where}[${i}] is out of range`);
    return [lng, lat];
  });
  const first = out[0] as Position;
  const last = out[out.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) fail(`${where} is not closed`);
  return out;
}

/**
 * Picks Licheng (adcode 370112) from the Jinan DataV GeoJSON feature collection and returns its
 * outline as a validated Polygon (the source has a MultiPolygon of one polygon).
 */
export function readLichengOutline(featureCollectionJson: unknown): AreaGeometry {
  if (!isRecord(featureCollectionJson) || featureCollectionJson.type !== 'FeatureCollection') {
    fail('expected a GeoJSON FeatureCollection');
  }
  const features = featureCollectionJson.features;
  if (!Array.isArray(features)) fail('features must be an array');
  const feature = features.find(
    (f) => isRecord(f) && isRecord(f.properties) && Number(f.properties.adcode) === LICHENG_ADCODE,
  ) as Record<string, unknown> | undefined;
  if (!feature) fail(`no feature with adcode ${LICHENG_ADCODE}`);
  const geometry = feature.geometry;
  if (!isRecord(geometry) || !Array.isArray(geometry.coordinates)) fail('the feature has no geometry');
  let polygon: unknown;
  if (geometry.type === 'Polygon') polygon = geometry.coordinates;
  else if (geometry.type === 'MultiPolygon') {
    if (geometry.coordinates.length !== 1) fail(`expected one polygon, got ${geometry.coordinates.length}`);
    polygon = geometry.coordinates[0];
  } else fail(`unexpected geometry type ${String(geometry.type)}`);
  if (!Array.isArray(polygon) || polygon.length < 1) fail('the polygon has no rings');
  const coordinates: PolygonCoords = polygon.map((ring, i) => checkRing(ring, `ring ${i}`));
  return { type: 'Polygon', coordinates };
}
