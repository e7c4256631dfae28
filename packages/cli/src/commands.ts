import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD, SYSTEM_ACTOR, isAppError } from '@civicgrid/core';
import type { Role } from '@civicgrid/core';
import { SETTING_DEMO_ACCOUNTS, loadDemoDistrict } from '@civicgrid/server';
import { out, progress, withContext } from './context.js';

interface DemoAccountRecord {
  role: string;
  username: string;
  unitCode: string | null;
  samplePoint: [number, number];
  displayName: string;
}

/** `civicgrid migrate` */
export async function migrateCommand(): Promise<void> {
  await withContext(async ({ db }) => {
    process.stdout.write(`schema is current (${db.name}: ${db.location})\n`);
  });
}

/** `civicgrid demo-seed` */
export async function demoSeedCommand(opts: { seed: string; json?: boolean }): Promise<void> {
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  await withContext(async ({ services }) => {
    const bar = progress(!opts.json);
    const t0 = performance.now();
    try {
      const counts = await loadDemoDistrict(services, seed, (stage, done, total) =>
        bar.update(stage, done, total),
      );
      bar.stop();
      const ms = Math.round(performance.now() - t0);
      out(
        !!opts.json,
        { ...counts, seed, ms },
        () =>
          `demo district of Licheng loaded (seed ${seed}): ${counts.units} units, ${counts.staff} staff, ${counts.accounts} accounts in ${(ms / 1000).toFixed(1)} s`,
      );
    } finally {
      bar.stop();
    }
  });
}

/** `civicgrid demo-accounts` */
export async function demoAccountsCommand(opts: { json?: boolean }): Promise<void> {
  await withContext(async ({ services }) => {
    const accounts =
      (await services.deps.store.repos.settings.get<DemoAccountRecord[]>(SETTING_DEMO_ACCOUNTS)) ?? [];
    if (accounts.length === 0)
      throw new Error('no demo accounts: run `civicgrid demo-seed` (or `npm start`) first');
    const list = accounts.map((a) => ({ ...a, password: DEMO_PASSWORD }));
    out(!!opts.json, list, () =>
      list
        .map(
          (a) =>
            `${a.role.padEnd(18)} ${a.username.padEnd(16)} ${a.password}  ${a.unitCode ?? ''}  ${a.displayName}`,
        )
        .join('\n'),
    );
  });
}

/** `civicgrid stats` */
export async function statsCommand(opts: { json?: boolean }): Promise<void> {
  await withContext(async ({ services }) => {
    const s = await services.governance.stats(SYSTEM_ACTOR);
    out(!!opts.json, s, () =>
      Object.entries(s)
        .map(([k, v]) => `${k.padEnd(15)} ${v}`)
        .join('\n'),
    );
  });
}

/** `civicgrid validate-grids` */
export async function validateGridsCommand(opts: { json?: boolean; tolerance: string }): Promise<number> {
  return withContext(async ({ services }) => {
    const bar = progress(!opts.json);
    const r = await services.governance.validateGrids(SYSTEM_ACTOR, {
      toleranceM2: Number(opts.tolerance),
      onProgress: (d, t) => bar.update('validating', d, t),
    });
    bar.stop();
    out(!!opts.json, r, () =>
      r.ok
        ? 'ok: no gaps, no overlaps, every unit inside its parent'
        : [
            ...r.overlaps.map((o) => `overlap  ${o.a} × ${o.b}  ${o.areaM2.toFixed(1)} m²`),
            ...r.gaps.map(
              (g) =>
                `gap      in ${g.parent} (${g.level})  ${g.areaM2.toFixed(1)} m² near ${g.point.join(',')}`,
            ),
            ...r.outside.map(
              (o) => `outside  ${o.code} sticks out of ${o.parent} by ${o.areaM2.toFixed(1)} m²`,
            ),
          ].join('\n'),
    );
    return r.ok ? 0 : 1;
  });
}

/** `civicgrid locate LNG LAT` */
export async function locateCommand(lng: string, lat: string, opts: { json?: boolean }): Promise<void> {
  await withContext(async ({ services }) => {
    const r = await services.governance.locate(Number(lng), Number(lat));
    out(!!opts.json, r, () =>
      [
        `basic grid   ${r.basicGrid ? `${r.basicGrid.code} ${r.basicGrid.name}` : '—'}`,
        `dedicated    ${r.dedicatedGrids.map((d) => `${d.code} ${d.name}`).join('; ') || '—'}`,
        `community    ${r.community ? `${r.community.code} ${r.community.name}` : '—'}`,
        `street       ${r.street ? `${r.street.code} ${r.street.name}` : '—'}`,
      ].join('\n'),
    );
  });
}

/** `civicgrid import-units FILE` */
export async function importUnitsCommand(file: string, opts: { json?: boolean }): Promise<void> {
  await withContext(async ({ services }) => {
    const text = readFileSync(file, 'utf8');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const r = await services.governance.importUnits(SYSTEM_ACTOR, data, { requestId: null });
    out(!!opts.json, r, () => `imported: ${r.inserted} new, ${r.updated} updated`);
  });
}

/** `civicgrid user add` */
export async function userAddCommand(opts: {
  username: string;
  name: string;
  role: string;
  unit?: string;
  department?: string;
  phone?: string;
  totp?: boolean;
  json?: boolean;
}): Promise<void> {
  const password = process.env.CIVICGRID_NEW_PASSWORD;
  if (!password)
    throw new Error(
      'set the new password in the environment variable CIVICGRID_NEW_PASSWORD (kept out of shell history)',
    );
  await withContext(async ({ services }) => {
    const r = await services.auth.createUser(
      SYSTEM_ACTOR,
      {
        username: opts.username,
        displayName: opts.name,
        role: opts.role as Role,
        password,
        unitCode: opts.unit ?? null,
        departmentCode: opts.department ?? null,
        phone: opts.phone ?? null,
        ...(opts.totp !== undefined && { withTotp: opts.totp }),
      },
      { requestId: null },
    );
    out(!!opts.json, r, () =>
      [
        `created ${r.user.username} (${r.user.role})`,
        ...(r.totp ? [`TOTP secret: ${r.totp.secret}`, `otpauth URI: ${r.totp.uri}`] : []),
      ].join('\n'),
    );
  });
}

/** `civicgrid user totp USERNAME` */
export async function userTotpCommand(username: string, opts: { json?: boolean }): Promise<void> {
  await withContext(async ({ services }) => {
    const r = await services.auth.enrollTotp(SYSTEM_ACTOR, username, { requestId: null });
    out(
      !!opts.json,
      r,
      () =>
        `TOTP set up for ${username} (their sessions were ended)\nsecret: ${r.secret}\notpauth URI: ${r.uri}`,
    );
  });
}

/** `civicgrid require-totp on|off` */
export async function requireTotpCommand(value: string, opts: { json?: boolean }): Promise<void> {
  if (value !== 'on' && value !== 'off') throw new Error('say on or off');
  await withContext(async ({ services }) => {
    const r = await services.auth.setRequireTotp(SYSTEM_ACTOR, value === 'on', { requestId: null });
    out(!!opts.json, r, () => `staff must ${r.required ? 'now' : 'no longer'} give a one-time code at login`);
  });
}

/** `civicgrid audit verify` */
export async function auditVerifyCommand(opts: { json?: boolean }): Promise<number> {
  return withContext(async ({ services }) => {
    const { verifyAudit } = await import('@civicgrid/core');
    const r = await verifyAudit(services.deps);
    out(!!opts.json, r, () =>
      r.ok
        ? `audit chain ok: ${r.count} rows, head ${r.headHash}`
        : `audit chain BROKEN at row ${r.firstBrokenSeq}: ${r.reason} (${r.count} rows read)`,
    );
    return r.ok ? 0 : 1;
  });
}

/** Prints an error the way a person can act on it. */
export function describeError(e: unknown): string {
  if (isAppError(e)) {
    const issues = (
      e.details as
        { issues?: Array<{ path?: string; reason: string; feature?: number; code?: string }> } | undefined
    )?.issues;
    const lines =
      issues?.map(
        (i) =>
          `  ${i.feature !== undefined ? `feature ${i.feature}${i.code ? ` (${i.code})` : ''}: ` : ''}${i.path ?? ''}: ${i.reason}`,
      ) ?? [];
    return [`error ${e.code}: ${e.message}`, ...lines].join('\n');
  }
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}
