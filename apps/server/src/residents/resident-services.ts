import { createHash } from 'node:crypto';
import { createImService, createResidentService } from '@civicgrid/core';
import type { CaseService, ImService, ResidentService, ServiceDeps } from '@civicgrid/core';
import { imReplyProviderFor } from './im-adapter.js';
import { trackPageUrl } from './qr.js';
import type { ResidentConfig } from './resident-config.js';
import { smsProviderFor } from './sms.js';
import type { SmsLog } from './sms.js';

/** Where the demo providers write outside the HTTP server (the CLI builds services too): the console. */
export const consoleLog: SmsLog = {
  info: (msg) => console.log(msg),
  warn: (msg) => console.warn(msg),
};

/** Hex SHA-256 of text: one-time codes are stored only as such hashes (core takes it injected). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The resident line's services on the shared deps and case service, with the SMS gateway and the
 * IM reply channel the configuration names (buildServices spreads the result into Services).
 */
export function createResidentLine(
  deps: ServiceDeps,
  cases: CaseService,
  opts: { config: ResidentConfig; log: SmsLog },
): { residents: ResidentService; im: ImService } {
  const { config, log } = opts;
  return {
    residents: createResidentService(deps, {
      cases,
      hash: sha256Hex,
      sms: smsProviderFor(config.sms, log),
    }),
    im: createImService(deps, {
      cases,
      hash: sha256Hex,
      replies: imReplyProviderFor(config.im, log),
      trackUrl: (code) => trackPageUrl(config.publicUrl, code),
    }),
  };
}
