import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@civicgrid/core': src('./packages/core/src/index.ts'),
      '@civicgrid/contracts': src('./packages/contracts/src/index.ts'),
      '@civicgrid/db': src('./packages/db/src/index.ts'),
      '@civicgrid/server': src('./apps/server/src/index.ts'),
      '@civicgrid/cli': src('./packages/cli/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
