export * from './app.js';
export * from './config.js';
export * from './server.js';
export * from './demo.js';
export * from './passwords.js';
export type { Services } from './routes/services.js';
export * from './scheduler.js';
export * from './categories.js';
