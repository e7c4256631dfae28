import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '@civicgrid/core';
import { loadConfig, startServer } from '@civicgrid/server';
import type { RunningServer } from '@civicgrid/server';
import { PG_URL } from '../../../../test/support/databases.js';
import type { DbKind } from '../../../../test/support/databases.js';

export const DEMO_PASSWORD = 'Licheng@2026';

export interface TestServer {
  server: RunningServer;
  url: string;
  kind: DbKind;
  /** PostgreSQL: the URL of this server's database (another server may share it). */
  databaseUrl: string | undefined;
  /** Logs in and returns the bearer token (cached per username). */
  token(username: string, password?: string): Promise<string>;
  /** Forgets cached logins (after the clock moved past session expiry). */
  forgetTokens(): void;
  /** fetch against the server, JSON in and out. */
  call(
    method: string,
    path: string,
    opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** A multipart upload of one file (field `file` unless named). */
  upload(
    path: string,
    token: string,
    file: { bytes: Uint8Array; name: string; type: string; field?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** Starts the real server (real database, demo district seeded) on a free port on 127.0.0.1. */
export async function startTestServer(
  kind: DbKind,
  env: Record<string, string> = {},
  opts: { clock?: Clock } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-api-'));
  let dbName: string | null = null;
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    if (!PG_URL) throw new Error('CIVICGRID_TEST_PG_URL is not set');
    dbName = `api_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client(PG_URL);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    databaseUrl = PG_URL.replace(/\/[^/]*$/, `/${dbName}`);
  }
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CIVICGRID_DATA_DIR: dataDir,
    CIVICGRID_DEMO: '1',
    LOG_LEVEL: 'silent',
    CIVICGRID_LOGIN_RATE_PER_MINUTE: '100000',
    CIVICGRID_RESIDENT_RATE_PER_MINUTE: '100000',
    CIVICGRID_OTP_RATE_PER_HOUR: '100000',
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    ...env,
  });
  // timers are fired by the tests themselves (runDueTimers), on the injected clock
  const server = await startServer(config, {
    logger: false,
    scheduler: false,
    ...(opts.clock && { clock: opts.clock }),
  });
  const tokens = new Map<string, string>();
  const call: TestServer['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const res = await fetch(server.url + path, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    server,
    url: server.url,
    kind,
    databaseUrl,
    call,
    forgetTokens: () => tokens.clear(),
    async upload(path, token, file) {
      const form = new FormData();
      form.append(file.field ?? 'file', new Blob([file.bytes], { type: file.type }), file.name);
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async token(username, password = DEMO_PASSWORD) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const r = await call('POST', '/api/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      tokens.set(username, r.body.token);
      return r.body.token as string;
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName && PG_URL) {
        const a = new pg.Client(PG_URL);
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await a.end();
      }
    },
  };
}
