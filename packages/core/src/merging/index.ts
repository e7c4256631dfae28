// 一事一案 (one problem, one case): building blocks to find the case a new report belongs to.
export * from './text.js';
export * from './hashing.js';
export * from './minhash.js';
export * from './lsh.js';
export * from './relations.js';
export * from './scoring.js';
export * from './hot-spots.js';
