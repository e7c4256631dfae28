export * from './common.js';
export * from './governance.js';
export * from './auth.js';
export * from './routes.js';
export * from './openapi.js';
export * from './cases.js';
export * from './settings.js';
export * from './webhooks.js';
