export * from './working-calendar.js';
export { DEFAULT_PERIODS, DEFAULT_WORKDAYS } from './calendar-validation.js';
export * from './time-limits.js';
export * from './time-limit-validation.js';
export * from './categories.js';
