export * from './database.js';
export * from './dialect.js';
export * from './schema.js';
export * from './store.js';
export { LATEST_MIGRATION } from './migrations/index.js';
export * from './changes.js';
