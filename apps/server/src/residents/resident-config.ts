import { z } from 'zod';

/**
 * Settings of the resident line, read from the environment once at start-up (loadConfig calls
 * this). A real deployment must set CIVICGRID_PUBLIC_URL and an SMS gateway
 * (CIVICGRID_SMS_PROVIDER=http with its URL and key); the IM adapter stays off until
 * CIVICGRID_IM_SECRET is set.
 */
const Env = z.object({
  CIVICGRID_PUBLIC_URL: z
    .url()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .default('http://127.0.0.1:8080')
    .describe('the address residents reach the server at: QR codes and reply links point here'),
  CIVICGRID_SMS_PROVIDER: z.enum(['log', 'http']).default('log'),
  CIVICGRID_SMS_HTTP_URL: z.url().optional(),
  CIVICGRID_SMS_HTTP_API_KEY: z.string().min(8).optional(),
  CIVICGRID_IM_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  CIVICGRID_IM_REPLY_PROVIDER: z.enum(['log', 'http']).default('log'),
  CIVICGRID_IM_REPLY_URL: z.url().optional(),
  CIVICGRID_RESIDENT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  CIVICGRID_OTP_RATE_PER_HOUR: z.coerce.number().int().min(1).default(20),
});

export interface ResidentConfig {
  /** Base of the resident pages (/r/{grid}) and tracking links (/t/{code}). */
  publicUrl: string;
  sms: { provider: 'log' } | { provider: 'http'; url: string; apiKey: string };
  im: {
    /** Shared secret of the IM bridge; null: POST /api/im/messages is refused. */
    secret: string | null;
    reply: { provider: 'log' } | { provider: 'http'; url: string };
  };
  /** Requests per minute per address on the public resident endpoints (QR, track, login). */
  ratePerMinute: number;
  /** One-time code requests per hour per address (each costs an SMS). */
  otpPerHour: number;
}

/** Parses the resident line's variables; throws naming each bad or missing one. */
export function loadResidentConfig(env: NodeJS.ProcessEnv): ResidentConfig {
  const r = Env.safeParse(env);
  const issues = r.success ? [] : r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  const e = r.success ? r.data : undefined;
  if (e?.CIVICGRID_SMS_PROVIDER === 'http' && (!e.CIVICGRID_SMS_HTTP_URL || !e.CIVICGRID_SMS_HTTP_API_KEY))
    issues.push(
      '  CIVICGRID_SMS_HTTP_URL and CIVICGRID_SMS_HTTP_API_KEY: required by CIVICGRID_SMS_PROVIDER=http',
    );
  if (e?.CIVICGRID_IM_REPLY_PROVIDER === 'http' && !e.CIVICGRID_IM_REPLY_URL)
    issues.push('  CIVICGRID_IM_REPLY_URL: required by CIVICGRID_IM_REPLY_PROVIDER=http');
  if (!e || issues.length) throw new Error(`invalid configuration:\n${issues.join('\n')}`);
  return {
    publicUrl: e.CIVICGRID_PUBLIC_URL,
    sms:
      e.CIVICGRID_SMS_PROVIDER === 'http'
        ? { provider: 'http', url: e.CIVICGRID_SMS_HTTP_URL!, apiKey: e.CIVICGRID_SMS_HTTP_API_KEY! }
        : { provider: 'log' },
    im: {
      secret: e.CIVICGRID_IM_SECRET ?? null,
      reply:
        e.CIVICGRID_IM_REPLY_PROVIDER === 'http'
          ? { provider: 'http', url: e.CIVICGRID_IM_REPLY_URL! }
          : { provider: 'log' },
    },
    ratePerMinute: e.CIVICGRID_RESIDENT_RATE_PER_MINUTE,
    otpPerHour: e.CIVICGRID_OTP_RATE_PER_HOUR,
  };
}

/** What the server should warn about at start: demo settings where real residents may be. */
export function residentStartupWarnings(cfg: ResidentConfig, production: boolean): string[] {
  if (!production) return [];
  const out: string[] = [];
  if (cfg.sms.provider === 'log')
    out.push(
      'CIVICGRID_SMS_PROVIDER=log in production: one-time login codes are written to the log, not sent; ' +
        'configure an SMS gateway (CIVICGRID_SMS_PROVIDER=http)',
    );
  if (/^http:\/\/(127\.|localhost)/.test(cfg.publicUrl))
    out.push(`CIVICGRID_PUBLIC_URL is ${cfg.publicUrl}: grid QR codes and reply links point at this machine`);
  return out;
}
