import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Actor, CaseChange } from '@civicgrid/core';
import { unitInScope } from '@civicgrid/core';
import type { ChangeBus } from '@civicgrid/db';
import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

const HEARTBEAT_MS = 20_000;
const REPLAY_LIMIT = 1000;

/** The changes an actor may see: their unit subtree, their department's cases, or everything. */
export function isChangeVisible(actor: Actor, c: CaseChange): boolean {
  const s = actor.scope;
  if (s.kind === 'all') return true;
  if (s.kind === 'unit') return unitInScope(actor, c.unitPath);
  if (s.kind === 'department') return c.departmentIds.includes(s.departmentId);
  return false;
}

function frame(c: CaseChange): string {
  return `id: ${c.eventId}\nevent: change\ndata: ${JSON.stringify(c)}\n\n`;
}

/**
 * Server-sent events (`GET /api/stream`): every committed case change in the caller's scope, live.
 * With PostgreSQL the bus is fed by LISTEN/NOTIFY, so a client connected to any process sees the
 * changes made by every process. `Last-Event-ID` resumes after a dropped connection (up to 1,000
 * missed changes; a few seconds of overlap — drop repeats by id).
 */
export function streamRoutes(s: Services, bus: ChangeBus, app: FastifyInstance) {
  const open = new Set<ServerResponse>();
  // close the streams before the server waits for its connections to end
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
    open.clear();
  });

  const streamChanges: Handler = async ({ actor, req, reply }) => {
    const who = actor!;
    const lastId = req.headers['last-event-id'];
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    open.add(raw);
    raw.write('retry: 3000\n\n');
    // live changes queue up while the missed ones are read, so none falls in between
    const queued: CaseChange[] = [];
    let replaying = true;
    const seen = new Set<string>();
    const send = (c: CaseChange) => {
      if (seen.has(c.eventId) || !isChangeVisible(who, c)) return;
      seen.add(c.eventId);
      if (seen.size > 5000) seen.clear();
      raw.write(frame(c));
    };
    const off = bus.onChange((c) => (replaying ? queued.push(c) : send(c)));
    const beat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    beat.unref();
    const cleanup = () => {
      off();
      clearInterval(beat);
      open.delete(raw);
    };
    req.raw.on('close', cleanup);
    raw.on('error', cleanup);
    try {
      if (typeof lastId === 'string' && lastId.length <= 64) {
        for (const c of await s.deps.store.repos.cases.changesAfter(lastId, REPLAY_LIMIT)) send(c);
      }
    } finally {
      replaying = false;
      for (const c of queued.splice(0)) send(c);
    }
  };
  return { streamChanges } satisfies Record<string, Handler>;
}
