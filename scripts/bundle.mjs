// Bundles the compiled CLI (which contains the server) into one ES module: loading ~600 small
// module files (kysely alone has 280) costs more start-up time than the server needs to start.
// Native and driver packages stay external and load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['packages/cli/dist/main.js'],
  outfile: 'apps/server/dist/civicgrid.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // apps/server/dist/ keeps `new URL('../assets/…', import.meta.url)` pointing at apps/server/assets
  external: ['better-sqlite3', 'pg', 'pg-native', 'argon2', 'swagger-ui-dist', 'sharp'],
  banner: {
    js: "import { createRequire as __civicgridRequire } from 'node:module'; const require = __civicgridRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: 'warning',
});
