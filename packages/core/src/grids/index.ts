export * from './geometry.js';
export * from './geometry-validity.js';
export * from './grid-index.js';
export * from './locator.js';
export * from './topology.js';
export * from './geojson-import.js';
export * from './synthetic-partition.js';
export * from './synthetic-district.js';
