export * from './hotline-order.js';
export * from './hotline-time.js';
export * from './hotline-mapping.js';
export * from './hotline-row.js';
export * from './hotline-feedback.js';
