import { maskPhone } from '@civicgrid/core';
import type { SmsMeta, SmsProvider } from '@civicgrid/core';
import type { ResidentConfig } from './resident-config.js';

/** What the providers need of the logger (pino's methods fit). */
export interface SmsLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * DEMO ONLY: "sends" a message by writing it to the log, the number masked and the code in clear,
 * so the demo and tests can log in. Anyone who can read the log can log in as any resident: never
 * use it where real residents are.
 */
export function logSmsProvider(log: SmsLog): SmsProvider {
  return {
    async send(phone, text) {
      log.info(`SMS to ${maskPhone(phone)}: ${text}`);
    },
  };
}

/**
 * A skeleton for an HTTP SMS gateway. A REAL DEPLOYMENT MUST CONFIGURE CIVICGRID_SMS_HTTP_URL and
 * CIVICGRID_SMS_HTTP_API_KEY, and usually put a small relay in front of its vendor: mainland
 * vendors (Alibaba Cloud SMS, Tencent Cloud SMS, China Mobile's cloud MAS, …) send only approved
 * templates under a registered signature (签名), and sign each call with their own scheme. The
 * request here is vendor-neutral so such a relay stays a few lines:
 *
 *   POST <url>  Authorization: Bearer <api key>  Content-Type: application/json
 *   { "phone": "13912345678", "text": "您的验证码是 …", "template": "otp",
 *     "params": { "code": "123456", "ttlMinutes": 5 } }
 *
 * Any 2xx is success; anything else, a timeout (10 s) or a network error is a failure the
 * resident sees as "try again in a minute".
 */
export function httpSmsProvider(
  cfg: { url: string; apiKey: string; timeoutMs?: number },
  fetchImpl: typeof fetch = fetch,
): SmsProvider {
  return {
    async send(phone, text, meta?: SmsMeta) {
      const res = await fetchImpl(cfg.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${cfg.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          phone,
          text,
          ...(meta && { template: meta.purpose, params: { code: meta.code, ttlMinutes: meta.ttlMinutes } }),
        }),
        redirect: 'error',
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000),
      });
      // the body may echo the message: it is drained, never logged
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}

/** The configured provider (residentStartupWarnings says when the demo one runs in production). */
export function smsProviderFor(cfg: ResidentConfig['sms'], log: SmsLog): SmsProvider {
  return cfg.provider === 'http' ? httpSmsProvider(cfg) : logSmsProvider(log);
}
