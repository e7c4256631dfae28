import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import {
  maskText,
  createAuthService,
  createCaseService,
  createMergeService,
  createLoopSettingsService,
  createOpinionService,
  createAttachmentService,
  createWebhookService,
  createVolumeService,
  createDepartmentService,
  createGovernanceService,
  createIdGenerator,
  createStaffService,
  systemClock,
} from '@civicgrid/core';
import type { Clock, PasswordHasher, ServiceDeps } from '@civicgrid/core';
import { ROUTES, buildOpenApi } from '@civicgrid/contracts';
import type { Db } from '@civicgrid/db';
import { createStore } from '@civicgrid/db';
import type { Config } from './config.js';
import { registerAuth } from './http/auth.js';
import { markIdempotentCommit } from './http/idempotency.js';
import { registerErrorHandling } from './http/errors.js';
import { registerRoutes } from './http/register.js';
import { registerSecurityHeaders } from './http/security.js';
import { argon2Hasher } from './passwords.js';
import { authRoutes } from './routes/auth.routes.js';
import { caseRoutes } from './routes/cases.routes.js';
import { mergingRoutes } from './routes/merging.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { opinionRoutes } from './routes/opinion.routes.js';
import { registerResidentIngress, residentRoutes } from './routes/residents.routes.js';
import { loadResidentConfig, residentStartupWarnings } from './residents/resident-config.js';
import { consoleLog, createResidentLine } from './residents/resident-services.js';
import type { SmsLog } from './residents/sms.js';
import { attachmentRoutes, MAX_UPLOAD_BYTES } from './routes/attachments.routes.js';
import { streamRoutes } from './routes/stream.routes.js';
import { lazyRouter } from './routing.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import { checkWebhookUrl, webhookPolicy } from './webhooks/run.js';
import { FileStore } from './files/file-store.js';
import { peopleRoutes } from './routes/people.routes.js';
import type { Services } from './routes/services.js';
import { unitRoutes } from './routes/units.routes.js';
import { docsPage, docsInit, landingPage } from './docs.js';

export const VERSION = '0.1.0';

export interface AppOptions {
  config: Config;
  db: Db;
  clock?: Clock;
  passwords?: PasswordHasher;
  logger?: boolean;
}

/** Builds the services on a database: the composition root shared by the server and the CLI. */
export function buildServices(
  db: Db,
  opts: {
    clock?: Clock;
    passwords?: PasswordHasher;
    argon2?: Config['argon2'];
    webhooks?: Config['webhooks'];
    residents?: Config['residents'];
    /** Where the demo SMS and IM providers write (the app's logger; the console in the CLI). */
    log?: SmsLog;
    route?: ServiceDeps['route'];
  } = {},
): Services {
  const policy = webhookPolicy({
    webhooks: opts.webhooks ?? { allowedHosts: [], allowHttp: false, allowPrivate: false },
  });
  const clock = opts.clock ?? systemClock;
  const deps: ServiceDeps = {
    store: createStore(db, { beforeCommit: markIdempotentCommit }),
    clock,
    ids: createIdGenerator(clock),
    passwords: opts.passwords ?? argon2Hasher(opts.argon2 ?? { memoryCost: 19456, timeCost: 2 }),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    ...(opts.route && { route: opts.route }),
  };
  const governance = createGovernanceService(deps);
  const cases = createCaseService(deps, governance);
  return {
    deps,
    governance,
    staff: createStaffService(deps),
    auth: createAuthService(deps),
    departments: createDepartmentService(deps),
    cases,
    merging: createMergeService(deps, { actions: cases.actions }),
    loopSettings: createLoopSettingsService(deps),
    attachments: createAttachmentService(deps, cases),
    // a confirmed warning becomes a case through the one intake every line uses
    opinion: createOpinionService(deps, { intake: (actor, input, ctx) => cases.intake(actor, input, ctx) }),
    webhooks: createWebhookService(deps, checkWebhookUrl(policy)),
    volumes: createVolumeService(deps),
    webhookPolicy: policy,
    ...createResidentLine(deps, cases, {
      config: opts.residents ?? loadResidentConfig({}),
      log: opts.log ?? consoleLog,
    }),
  };
}

/** The HTTP application: JSON API under /api, docs at /api/docs. */
export async function buildApp(opts: AppOptions): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, db } = opts;
  let warn: (msg: string) => void = () => {};
  const routing = config.routing.enabled ? lazyRouter(config.routing.model, (m) => warn(m)) : null;
  const services = buildServices(db, {
    clock: opts.clock,
    passwords: opts.passwords,
    argon2: config.argon2,
    webhooks: config.webhooks,
    residents: config.residents,
    // called only once requests come in, when the app (declared below) exists
    log: { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
    ...(routing && { route: routing.route }),
  });
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
              censor: '***',
            },
            // phone and ID numbers never reach the log: masked in every serialised field and message
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({
                method: req.method,
                url: maskText(req.url),
                id: req.id,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              err: (err: Error & { code?: unknown }) => ({
                type: err.name,
                code: err.code,
                message: maskText(err.message),
                stack: maskText(err.stack ?? ''),
              }),
            },
            hooks: {
              logMethod(args, method) {
                method.apply(
                  this,
                  args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>,
                );
              },
            },
          },
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
  });
  warn = (m) => app.log.warn(m);
  await app.register(cookie);
  // uploads: one file per request, bounded in memory; the route reads it after the permission check
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 2 },
    throwFileSizeLimit: false,
  });
  const files = new FileStore(join(config.dataDir, 'files'));
  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerAuth(app, services.auth);
  for (const w of residentStartupWarnings(config.residents, config.production)) app.log.warn(w);
  // IM messages: the signature is checked on the raw body, before it is parsed
  registerResidentIngress(app, config.residents);

  registerRoutes(
    app,
    {
      health: async () => ({ status: 'ok', db: db.name }),
      ...authRoutes(services, config.loginRatePerMinute),
      ...unitRoutes(services),
      ...peopleRoutes(services),
      ...caseRoutes(services),
      ...mergingRoutes(services),
      ...settingsRoutes(services),
      ...opinionRoutes(services),
      ...residentRoutes(services, config.residents),
      ...attachmentRoutes(services, files),
      ...streamRoutes(services, db.changes, app),
      ...webhookRoutes(services),
    },
    { repo: services.deps.store.repos.idempotency, now: () => services.deps.clock.now() },
  );

  // built on first request: converting every schema costs start-up time nobody waits for
  let openapi: ReturnType<typeof buildOpenApi> | null = null;
  app.get('/api/openapi.json', async () => (openapi ??= buildOpenApi(ROUTES, { version: VERSION })));
  const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  await app.register(fastifyStatic, {
    root: swaggerDir,
    prefix: '/api/docs/assets/',
    decorateReply: false,
    index: false,
  });
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(docsPage));
  app.get('/api/docs/init.js', async (_req, reply) => reply.type('application/javascript').send(docsInit));
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(landingPage));
  return { app, services };
}
