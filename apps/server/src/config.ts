import { resolve } from 'node:path';
import { z } from 'zod';
import { loadResidentConfig } from './residents/resident-config.js';
import type { ResidentConfig } from './residents/resident-config.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  CIVICGRID_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite database)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  CIVICGRID_DEMO: z
    .enum(['0', '1'])
    .optional()
    .describe('load the demo district into an empty database on start'),
  CIVICGRID_DEMO_SEED: z.coerce.number().int().default(370112),
  CIVICGRID_ARGON2_MEMORY_KIB: z.coerce.number().int().min(19456).default(19456),
  CIVICGRID_ARGON2_TIME: z.coerce.number().int().min(2).default(2),
  CIVICGRID_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  CIVICGRID_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  CIVICGRID_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  CIVICGRID_WEBHOOK_HOSTS: z
    .string()
    .default('')
    .describe('comma-separated hosts webhooks may call (exact, *.suffix, or *); empty = none'),
  CIVICGRID_WEBHOOK_ALLOW_HTTP: z.enum(['0', '1']).default('0'),
  CIVICGRID_ROUTING: z.enum(['0', '1']).default('1').describe('smart routing suggestions on intake'),
  CIVICGRID_ROUTING_MODEL: z.string().optional().describe('a retrained model (civicgrid train-classifier)'),
  CIVICGRID_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['0', '1'])
    .default('0')
    .describe('allow private and loopback destinations (a receiver inside the government network)'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  production: boolean;
  /** Seed the demo district into an empty database at start-up. */
  demo: boolean;
  demoSeed: number;
  argon2: { memoryCost: number; timeCost: number };
  trustProxy: boolean;
  /** Login attempts per minute per client IP (several staff may share one office address). */
  loginRatePerMinute: number;
  /** How often the timer loop looks for due timers. */
  schedulerIntervalMs: number;
  /** Smart routing: on, and the model file (default: the shipped one). */
  routing: { enabled: boolean; model: string | undefined };
  /** Where outgoing webhooks may go. */
  webhooks: { allowedHosts: string[]; allowHttp: boolean; allowPrivate: boolean };
  /** The resident line: public address, SMS gateway, IM adapter, rate limits. */
  residents: ResidentConfig;
}

/** Parses the environment once at start-up; fails fast naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = Env.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = r.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.CIVICGRID_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    production,
    residents: loadResidentConfig(env),
    // the demo is on by default only for the embedded database outside production
    demo: e.CIVICGRID_DEMO ? e.CIVICGRID_DEMO === '1' : !production && !e.DATABASE_URL,
    demoSeed: e.CIVICGRID_DEMO_SEED,
    argon2: { memoryCost: e.CIVICGRID_ARGON2_MEMORY_KIB, timeCost: e.CIVICGRID_ARGON2_TIME },
    trustProxy: e.CIVICGRID_TRUST_PROXY === '1',
    loginRatePerMinute: e.CIVICGRID_LOGIN_RATE_PER_MINUTE,
    schedulerIntervalMs: e.CIVICGRID_SCHEDULER_INTERVAL_MS,
    routing: { enabled: e.CIVICGRID_ROUTING === '1', model: e.CIVICGRID_ROUTING_MODEL },
    webhooks: {
      allowedHosts: e.CIVICGRID_WEBHOOK_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      allowHttp: e.CIVICGRID_WEBHOOK_ALLOW_HTTP === '1',
      allowPrivate: e.CIVICGRID_WEBHOOK_ALLOW_PRIVATE === '1',
    },
  };
}
