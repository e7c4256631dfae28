export { generateDistrict, DEMO_COUNTS } from './generate.js';
export { readLichengOutline, LICHENG_ADCODE } from './outline.js';
export { DEMO_PASSWORD } from './accounts.js';
export type {
  DemoAccount,
  DemoCenter,
  DemoDistrict,
  DemoProgress,
  DemoStaff,
  DemoUnit,
  GenerateDistrictOptions,
} from './types.js';
