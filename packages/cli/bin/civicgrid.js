#!/usr/bin/env node
// Entry point of the `civicgrid` command. `npm run build` compiles the code to ../dist and bundles
// it into apps/server/dist/civicgrid.mjs (one file: faster start); the bundle is used when present.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../../../apps/server/dist/civicgrid.mjs', import.meta.url));
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const entry = [bundle, main].find((f) => existsSync(f));
if (!entry) {
  console.error('civicgrid is not built yet: run `npm run build` (or `npm start`) in the repository first.');
  process.exit(1);
}
await import(entry);
