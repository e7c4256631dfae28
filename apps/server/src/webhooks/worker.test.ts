import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverWebhook } from './deliver.js';
import type { DeliverOptions } from './deliver.js';
import type { DestinationPolicy, Resolver } from './destination.js';
import { encodeWebhookBody } from './payload.js';
import type { NextState } from './retry.js';
import { verifySignature } from './sign.js';
import { runDueDeliveries } from './worker.js';
import type { AttemptRecord, DueDelivery, WebhookQueue, WorkerDeps } from './worker.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1 with one behaviour per path. */
let server: Server;
let base: string;
let port: number;
const received: Received[] = [];
let flakyCalls = 0;

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  received.push({ path: req.url ?? '', headers: req.headers, body });
  switch (req.url) {
    case '/flaky':
      res.writeHead(++flakyCalls === 1 ? 500 : 200).end(flakyCalls === 1 ? 'try later' : 'thanks');
      return;
    case '/redirect':
      res.writeHead(302, { location: `${base}/target` }).end();
      return;
    case '/slow':
      return; // never answers; the connection is closed in afterAll
    case '/big':
      res.writeHead(200).end('x'.repeat(10_000));
      return;
    case '/fail':
      res.writeHead(503).end('down');
      return;
    default:
      res.writeHead(200).end('ok');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  flakyCalls = 0;
});

/** The port, kept in memory: leases claimed rows for five minutes, as the database will. */
class MemoryQueue implements WebhookQueue {
  rows: Array<DueDelivery & { status: NextState['status']; nextAttemptAt: Date }> = [];
  log: Array<{ deliveryId: string; attempt: AttemptRecord; next: NextState }> = [];

  add(d: Partial<DueDelivery> & { url: string }, nextAttemptAt: Date): void {
    this.rows.push({
      id: `dlv_${this.rows.length + 1}`,
      webhookId: 'wh_1',
      departmentCode: 'police',
      secret: 'whsec_test',
      event: 'case.assigned',
      payload: encodeWebhookBody({
        id: `evt_${this.rows.length + 1}`,
        event: 'case.assigned',
        occurredAt: new Date('2026-03-01T08:00:00Z'),
        data: { caseNumber: '370112-20260301-000001' },
      }),
      attempts: 0,
      ...d,
      status: 'pending',
      nextAttemptAt,
    });
  }

  async claimDue(now: Date, limit: number): Promise<DueDelivery[]> {
    const due = this.rows.filter((r) => r.status === 'pending' && r.nextAttemptAt <= now).slice(0, limit);
    for (const r of due) r.nextAttemptAt = new Date(now.getTime() + 5 * 60_000);
    return due.map((r) => ({ ...r }));
  }

  async recordAttempt(deliveryId: string, attempt: AttemptRecord, next: NextState): Promise<void> {
    const row = this.rows.find((r) => r.id === deliveryId);
    if (!row) throw new Error('no such delivery');
    row.attempts++;
    row.status = next.status;
    if (next.status === 'pending') row.nextAttemptAt = next.nextAttemptAt;
    this.log.push({ deliveryId, attempt, next });
  }
}

const open: DestinationPolicy = {
  allowedHosts: ['127.0.0.1', 'hooks.test'],
  allowHttp: true,
  allowPrivate: true,
  allowedPorts: 'any',
};

function setup(deliverOptions: Partial<DeliverOptions> = {}) {
  let now = new Date('2026-03-01T08:00:00Z');
  const queue = new MemoryQueue();
  const deps: WorkerDeps = {
    now: () => now,
    random: () => 0.5,
    resolvePolicy: () => open,
    deliver: (request, policy) => deliverWebhook(request, { policy, timeoutMs: 5000, ...deliverOptions }),
  };
  return {
    queue,
    deps,
    at: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('runDueDeliveries', () => {
  it('retries a 500 with back-off, then delivers; each request carries a valid signature', async () => {
    const { queue, deps, at, advance } = setup();
    queue.add({ url: `${base}/flaky` }, at());

    expect(await runDueDeliveries(queue, deps)).toEqual({ claimed: 1, delivered: 0, retrying: 1, dead: 0 });
    const first = queue.log[0];
    expect(first?.attempt).toMatchObject({ ok: false, status: 500, error: 'HTTP 500', snippet: 'try later' });
    expect(first?.next).toEqual({ status: 'pending', nextAttemptAt: new Date(at().getTime() + 15_000) });

    expect((await runDueDeliveries(queue, deps)).claimed).toBe(0); // not due yet
    advance(15_000);
    expect(await runDueDeliveries(queue, deps)).toEqual({ claimed: 1, delivered: 1, retrying: 0, dead: 0 });
    expect(queue.log[1]?.attempt).toMatchObject({ ok: true, status: 200, error: null, snippet: 'thanks' });
    expect(queue.rows[0]).toMatchObject({ status: 'delivered', attempts: 2 });

    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(r.headers['x-civicgrid-event']).toBe('case.assigned');
      expect(r.headers['x-civicgrid-delivery']).toBe('dlv_1');
      expect(r.headers['content-type']).toBe('application/json');
      const sig = r.headers['x-civicgrid-signature'] as string;
      expect(verifySignature('whsec_test', sig, r.body, at())).toMatchObject({ ok: true });
      expect(verifySignature('wrong-secret', sig, r.body, at()).ok).toBe(false);
      expect(JSON.parse(r.body)).toEqual({
        id: 'evt_1',
        event: 'case.assigned',
        occurredAt: '2026-03-01T08:00:00.000Z',
        data: { caseNumber: '370112-20260301-000001' },
      });
    }
  });

  it('does not follow a redirect', async () => {
    const { queue, deps, at } = setup();
    queue.add({ url: `${base}/redirect` }, at());
    await runDueDeliveries(queue, deps);
    expect(queue.log[0]?.attempt).toMatchObject({ ok: false, status: 302 });
    expect(queue.log[0]?.attempt.error).toMatch(
      /^redirect refused \(HTTP 302 to http:\/\/127\.0\.0\.1:\d+\/target\)$/,
    );
    expect(received.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('fails an attempt that gets no answer in time', async () => {
    const { queue, deps, at } = setup({ timeoutMs: 300 });
    queue.add({ url: `${base}/slow` }, at());
    expect((await runDueDeliveries(queue, deps)).retrying).toBe(1);
    expect(queue.log[0]?.attempt).toMatchObject({ ok: false, status: null, error: 'timeout after 300 ms' });
  });

  it('marks a delivery dead after its last attempt', async () => {
    const { queue, deps, at } = setup();
    queue.add({ url: `${base}/fail`, attempts: 7 }, at());
    expect((await runDueDeliveries(queue, deps)).dead).toBe(1);
    expect(queue.rows[0]).toMatchObject({ status: 'dead', attempts: 8 });
  });

  it('marks a delivery dead at once when the policy refuses its destination, without sending', async () => {
    const { queue, deps, at } = setup();
    deps.resolvePolicy = () => ({ ...open, allowPrivate: false });
    queue.add({ url: `${base}/ok` }, at());
    expect((await runDueDeliveries(queue, deps)).dead).toBe(1);
    expect(queue.log[0]?.attempt.error).toBe('destination refused: 127.0.0.1 resolves to a loopback address');
    expect(received).toEqual([]);
  });

  it('logs a throwing deliver as a failed attempt, and rethrows when the attempt cannot be recorded', async () => {
    const { queue, deps, at } = setup();
    deps.deliver = async () => {
      throw new Error('bug');
    };
    queue.add({ url: `${base}/ok` }, at());
    await runDueDeliveries(queue, deps);
    expect(queue.log[0]?.attempt).toMatchObject({ ok: false, error: 'internal: bug' });

    const broken = setup();
    broken.queue.add({ url: `${base}/ok` }, broken.at());
    broken.queue.recordAttempt = async () => {
      throw new Error('database is down');
    };
    await expect(runDueDeliveries(broken.queue, broken.deps)).rejects.toThrow('database is down');
  });

  it('works through more deliveries than it runs at once', async () => {
    const { queue, deps, at } = setup();
    for (let i = 0; i < 7; i++) queue.add({ url: `${base}/ok` }, at());
    expect(await runDueDeliveries(queue, deps, { concurrency: 3, limit: 5 })).toMatchObject({
      claimed: 5,
      delivered: 5,
    });
    expect(await runDueDeliveries(queue, deps, { concurrency: 3 })).toMatchObject({
      claimed: 2,
      delivered: 2,
    });
    expect(new Set(received.map((r) => r.headers['x-civicgrid-delivery'])).size).toBe(7);
  });
});

describe('deliverWebhook', () => {
  const request = (url: string) => ({ url, body: '{}', headers: {} });

  it('connects to the checked address while keeping the host name in the Host header', async () => {
    const lookups: string[] = [];
    const resolve: Resolver = async (host) => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const result = await deliverWebhook(request(`http://hooks.test:${port}/ok`), { policy: open, resolve });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(received[0]?.headers.host).toBe(`hooks.test:${port}`);
    expect(lookups).toEqual(['hooks.test']); // resolved once, for the check; the connection reused it
  });

  it('keeps at most 4 KiB of the response for the log', async () => {
    const result = await deliverWebhook(request(`${base}/big`), { policy: open });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.responseSnippet).toBe('x'.repeat(4096));
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const result = await deliverWebhook(request(`http://127.0.0.1:${closedPort}/`), { policy: open });
    expect(result).toMatchObject({ ok: false, error: 'connection refused' });
    expect(result.status).toBeUndefined();
  });

  it('refuses a private address unless the policy allows it', async () => {
    const result = await deliverWebhook(request(`${base}/ok`), { policy: { ...open, allowPrivate: false } });
    expect(result).toMatchObject({ ok: false, permanent: true });
    expect(received).toEqual([]);
  });
});
