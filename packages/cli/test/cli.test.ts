import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PG_URL, describeEachDb } from '../../../test/support/databases.js';

const BIN = fileURLToPath(new URL('../bin/civicgrid.js', import.meta.url));
const run = promisify(execFile);

describeEachDb('civicgrid CLI', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-cli-'));
  let dbName: string | null = null;
  const env: Record<string, string> = {
    ...process.env,
    CIVICGRID_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  } as Record<string, string>;

  /** Runs the compiled CLI; never throws, returns exit code and output. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const r = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  beforeAll(async () => {
    if (kind === 'postgres') {
      dbName = `cli_${Date.now().toString(36)}`;
      const a = new pg.Client(PG_URL);
      await a.connect();
      await a.query(`CREATE DATABASE ${dbName}`);
      await a.end();
      env.DATABASE_URL = PG_URL!.replace(/\/[^/]*$/, `/${dbName}`);
    }
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const a = new pg.Client(PG_URL);
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
    }
  });

  it('migrates an empty database', async () => {
    const r = await cli('migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(kind);
  });

  it('builds the demo district of Licheng at real scale', async () => {
    const r = await cli('demo-seed', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.units).toBe(1 + 14 + 347 + 1209 + 1498);
    const again = await cli('demo-seed', '--json');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a district/);
  }, 120_000);

  it('prints the stats as fixed JSON', async () => {
    const r = await cli('stats', '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      streets: 14,
      communities: 347,
      basicGrids: 1209,
      dedicatedGrids: 1498,
      departments: 17,
    });
    expect(s.staff).toBeGreaterThan(3 * 1209);
    expect(s.users).toBeGreaterThanOrEqual(13);
  });

  it('validates the grids: no gaps, no overlaps', async () => {
    const r = await cli('validate-grids', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, overlaps: [], gaps: [], outside: [] });
  }, 120_000);

  it('lists demo accounts for every role, each with a sample point inside its unit', async () => {
    const r = await cli('demo-accounts', '--json');
    expect(r.code, r.stderr).toBe(0);
    const accounts = JSON.parse(r.stdout) as Array<{
      role: string;
      username: string;
      password: string;
      unitCode: string | null;
      samplePoint: [number, number];
    }>;
    const roles = new Set(accounts.map((a) => a.role));
    for (const role of [
      'gridWorker',
      'gridLeader',
      'gridInstructor',
      'mediator',
      'volunteer',
      'communityOperator',
      'streetOperator',
      'districtOperator',
      'departmentHandler',
      'leader',
      'admin',
      'resident',
    ]) {
      expect(roles.has(role), role).toBe(true);
    }
    const worker = accounts.find((a) => a.role === 'gridWorker')!;
    const loc = await cli('locate', String(worker.samplePoint[0]), String(worker.samplePoint[1]), '--json');
    expect(loc.code, loc.stderr).toBe(0);
    const l = JSON.parse(loc.stdout);
    expect(l.basicGrid.code).toBe(worker.unitCode);
    expect(Object.keys(l).sort()).toEqual(['basicGrid', 'community', 'dedicatedGrids', 'street']);
    for (const a of accounts.filter((x) => x.unitCode && x.unitCode.length >= 9 && x.unitCode.length <= 15)) {
      const p = JSON.parse(
        (await cli('locate', String(a.samplePoint[0]), String(a.samplePoint[1]), '--json')).stdout,
      );
      const codes = [p.basicGrid?.code, p.community?.code, p.street?.code];
      expect(codes, `${a.username} ${a.unitCode}`).toContain(a.unitCode);
    }
  }, 120_000);

  it('refuses an invalid import naming the feature, and changes nothing', async () => {
    const file = join(dataDir, 'bad.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: {
              code: '370112001001498',
              name: '坏网格',
              level: 'basicGrid',
              parent: '370112999999',
            },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [117, 36],
                  [117.001, 36],
                  [117.001, 36.001],
                  [117, 36],
                ],
              ],
            },
          },
        ],
      }),
    );
    const r = await cli('import-units', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/feature 0/);
    expect(r.stderr).toMatch(/parent/);
    const s = JSON.parse((await cli('stats', '--json')).stdout);
    expect(s.basicGrids).toBe(1209);
  });

  it('adds a user and verifies the audit chain', async () => {
    env.CIVICGRID_NEW_PASSWORD = 'Str0ng-Enough!';
    const r = await cli(
      'user',
      'add',
      '--username',
      'ops.new',
      '--name',
      '新操作员',
      '--role',
      'streetOperator',
      '--unit',
      '370112001',
      '--totp',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).totp.uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await cli(
      'user',
      'add',
      '--username',
      'ops.bad',
      '--name',
      'x',
      '--role',
      'gridWorker',
      '--unit',
      '370112001',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unitCode/);
    const v = await cli('audit', 'verify', '--json');
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).ok).toBe(true);
  });

  it('turns the second factor on and enrols an existing account', async () => {
    const on = await cli('require-totp', 'on', '--json');
    expect(on.code, on.stderr).toBe(0);
    expect(JSON.parse(on.stdout)).toEqual({ required: true });
    const t = await cli('user', 'totp', 'worker', '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).uri).toMatch(/^otpauth:\/\/totp\/civicgrid:worker\?/);
    const off = await cli('require-totp', 'off');
    expect(off.code, off.stderr).toBe(0);
  });

  it('fails fast on bad configuration, naming the variable', async () => {
    const r = await run(process.execPath, [BIN, 'stats'], { env: { ...env, PORT: 'eighty' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toMatch(/PORT/);
  });
});
