#!/usr/bin/env node
// Entry point of the `civicgrid` command; the code is compiled to ../dist by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('civicgrid is not built yet: run `npm run build` (or `npm start`) in the repository first.');
  process.exit(1);
}
await import(main);
