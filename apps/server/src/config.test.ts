import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database with the demo on 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: undefined,
      demo: true,
      production: false,
    });
    expect(c.argon2.memoryCost).toBeGreaterThanOrEqual(19456);
  });
  it('turns the demo off for PostgreSQL and production unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', CIVICGRID_DEMO: '1' }).demo).toBe(true);
  });
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ CIVICGRID_ARGON2_MEMORY_KIB: '1024' })).toThrow(/ARGON2/);
  });
});
