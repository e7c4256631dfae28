import type { FastifyInstance } from 'fastify';
import { normalizeMobile } from '@civicgrid/core';
import type {
  ImMessage,
  ImService,
  ResidentReportInput,
  ResidentService,
  Satisfaction,
  ServiceDeps,
} from '@civicgrid/core';
import { setSessionCookie } from '../http/auth.js';
import type { Handler } from '../http/register.js';
import { createRateLimiter } from '../http/rate-limit.js';
import { registerImIngress } from '../residents/im-adapter.js';
import { posterPdf } from '../residents/poster-pdf.js';
import { gridQrPng, gridQrSvg, residentPageUrl } from '../residents/qr.js';
import type { ResidentConfig } from '../residents/resident-config.js';

/** What the resident routes call (the fields of Services they use). */
export interface ResidentRouteServices {
  deps: Pick<ServiceDeps, 'clock'>;
  residents: ResidentService;
  im: ImService;
}

const HOUR = 3600_000;

/**
 * Checks the IM bridge's signature before a message body is parsed (call once, before the routes
 * are registered); unsigned floods are limited per address before any work.
 */
export function registerResidentIngress(app: FastifyInstance, cfg: ResidentConfig): void {
  const perIp = createRateLimiter({ limit: 600, windowMs: 60_000 });
  registerImIngress(app, { secret: cfg.im.secret, hit: (ip) => perIp.hit(`im:${ip}`) });
}

/**
 * The resident line: grid QR codes and posters, SMS login, reports, public tracking and ratings,
 * the IM adapter and its group mappings. Public endpoints are rate limited per address, code
 * requests also per number (in core: one a minute, ten a day), writes per account.
 */
export function residentRoutes(s: ResidentRouteServices, cfg: ResidentConfig) {
  const publicPerIp = createRateLimiter({ limit: cfg.ratePerMinute, windowMs: 60_000 });
  const codesPerIp = createRateLimiter({ limit: cfg.otpPerHour, windowMs: HOUR });
  const loginsPerIp = createRateLimiter({ limit: cfg.ratePerMinute, windowMs: 60_000 });
  // beyond the five guesses per code: a number cannot be tried from many addresses at once
  const loginsPerPhone = createRateLimiter({ limit: 10, windowMs: 10 * 60_000 });
  const writesPerAccount = createRateLimiter({ limit: 30, windowMs: HOUR });
  const messagesPerGroup = createRateLimiter({ limit: 60, windowMs: 60_000 });
  const ip = (ctx: { ip?: string | null }) => ctx.ip ?? 'unknown';
  const pageOf = (code: string) => residentPageUrl(cfg.publicUrl, code);

  const gridQrSvgHandler: Handler = async ({ params, ctx, reply }) => {
    publicPerIp.hit(ip(ctx));
    const grid = await s.residents.grid(params.code as string);
    reply.header('cache-control', 'public, max-age=86400');
    return gridQrSvg(pageOf(grid.code));
  };
  const gridQrPngHandler: Handler = async ({ params, query, ctx, reply }) => {
    publicPerIp.hit(ip(ctx));
    const grid = await s.residents.grid(params.code as string);
    reply.header('cache-control', 'public, max-age=86400');
    return gridQrPng(pageOf(grid.code), query.size as number);
  };
  const residentGrid: Handler = async ({ params, ctx }) => {
    publicPerIp.hit(ip(ctx));
    return s.residents.grid(params.code as string);
  };
  const gridPostersPdf: Handler = async ({ actor, query, reply }) => {
    const which = {
      community: query.community as string | undefined,
      grid: query.grid as string | undefined,
    };
    const grids = await s.residents.posterGrids(actor!, which);
    const name = which.community ?? which.grid ?? 'grids';
    const pdf = posterPdf(
      grids.map((g) => ({
        code: g.code,
        name: g.name,
        communityName: g.community?.name ?? null,
        streetName: g.street?.name ?? null,
        url: pageOf(g.code),
      })),
      { title: `${grids[0]?.community?.name ?? name} 网格二维码`, createdAt: s.deps.clock.now() },
    );
    reply.header('content-disposition', `attachment; filename="posters-${name}.pdf"`);
    return pdf;
  };
  const requestResidentCode: Handler = async ({ body, ctx, reply }) => {
    codesPerIp.hit(ip(ctx));
    reply.header('cache-control', 'no-store');
    return s.residents.requestCode((body as { phone: string }).phone, ctx);
  };
  const residentLogin: Handler = async ({ body, ctx, reply }) => {
    const b = body as { phone: string; code: string };
    loginsPerIp.hit(ip(ctx));
    loginsPerPhone.hit(normalizeMobile(b.phone) ?? b.phone);
    const r = await s.residents.verifyCode(b.phone, b.code, ctx);
    setSessionCookie(reply, r.token, r.expiresAt);
    reply.header('cache-control', 'no-store');
    return r;
  };
  const createResidentReport: Handler = async ({ actor, body, ctx }) => {
    writesPerAccount.hit(actor!.userId);
    const b = body as ResidentReportInput & { gridCode: string };
    return s.residents.report(actor!, b.gridCode, b, ctx);
  };
  // a retry after the intake committed but the answer was lost: the same tracking code, no second case
  createResidentReport.replayCommitted = async ({ actor }, stored) =>
    s.residents.reportCommitted(actor!, stored as { caseId: string; reportId: string; caseNumber: string });
  const listResidentReports: Handler = async ({ actor, query }) =>
    s.residents.myReports(actor!, { limit: query.limit as number, after: query.after as string | undefined });
  const trackReport: Handler = async ({ params, ctx, reply }) => {
    publicPerIp.hit(ip(ctx));
    reply.header('cache-control', 'no-store');
    return s.residents.track(params.code as string);
  };
  const rateReport: Handler = async ({ actor, params, body, ctx }) => {
    writesPerAccount.hit(actor!.userId);
    const b = body as { satisfaction: Satisfaction; comment?: string };
    return s.residents.rate(actor!, params.code as string, b, ctx);
  };
  const receiveImMessage: Handler = async ({ body, ctx }) => {
    const msg = body as ImMessage;
    messagesPerGroup.hit(`${msg.platform}:${msg.groupId}`);
    return s.im.receive(msg, ctx);
  };
  const listImGroups: Handler = async ({ actor }) => s.im.listGroups(actor!);
  const saveImGroup: Handler = async ({ actor, body, ctx }) =>
    s.im.saveGroup(
      actor!,
      body as {
        platform: string;
        groupId: string;
        gridCode: string;
        botName?: string | null;
        isActive?: boolean;
      },
      ctx,
    );

  return {
    gridQrSvg: gridQrSvgHandler,
    gridQrPng: gridQrPngHandler,
    residentGrid,
    gridPostersPdf,
    requestResidentCode,
    residentLogin,
    createResidentReport,
    listResidentReports,
    trackReport,
    rateReport,
    receiveImMessage,
    listImGroups,
    saveImGroup,
  } satisfies Record<string, Handler>;
}
