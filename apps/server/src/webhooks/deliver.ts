import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { checkDestination, DestinationRefusedError } from './destination.js';
import type { CheckedDestination, DestinationPolicy, Resolver } from './destination.js';

/**
 * One delivery attempt: a POST to a checked, pinned destination. Redirects are not followed (a 3xx
 * is a failure: following one would bypass the destination check), the whole attempt (DNS,
 * connect, TLS, response headers) has one deadline and the connect phase a shorter one, and at most
 * a few KiB of the answer are read, for the delivery log.
 */

export interface WebhookRequest {
  url: string;
  /** The exact bytes that were signed. */
  body: string;
  /** Extra headers (event, delivery id, signature); content type and length are set here. */
  headers: Record<string, string>;
}

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  error?: string;
  durationMs: number;
  /** The start of the response body (at most `maxSnippetBytes`), for the log. */
  responseSnippet: string;
  /** The failure will not go away by retrying (the destination is refused by policy). */
  permanent?: boolean;
}

export interface DeliverOptions {
  policy: DestinationPolicy;
  resolve?: Resolver;
  /** Deadline for the whole attempt; default 10 s. */
  timeoutMs?: number;
  /** Deadline for the TCP connection; default 5 s. */
  connectTimeoutMs?: number;
  /** Response bytes kept for the log; default 4 KiB. */
  maxSnippetBytes?: number;
  /** Monotonic milliseconds, for durationMs. */
  clock?: () => number;
}

export const USER_AGENT = 'civicgrid-webhooks/1';

type Outcome = Omit<DeliveryResult, 'durationMs'>;

class ConnectTimeoutError extends Error {
  readonly code = 'CONNECT_TIMEOUT';
}

function describeError(err: unknown, o: { timeoutMs: number; connectTimeoutMs: number }): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.code === 'CONNECT_TIMEOUT') return `connect timeout after ${o.connectTimeoutMs} ms`;
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return `timeout after ${o.timeoutMs} ms`;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'connection reset';
  return `${e.code ?? 'error'}: ${e.message ?? String(err)}`.slice(0, 300);
}

function outcomeFor(status: number, location: string | undefined, snippet: string): Outcome {
  if (status >= 200 && status < 300) return { ok: true, status, responseSnippet: snippet };
  if (status >= 300 && status < 400) {
    const to = location ? ` to ${location.slice(0, 200)}` : '';
    return { ok: false, status, error: `redirect refused (HTTP ${status}${to})`, responseSnippet: snippet };
  }
  return { ok: false, status, error: `HTTP ${status}`, responseSnippet: snippet };
}

function requestOptions(
  dest: CheckedDestination,
  request: WebhookRequest,
  body: Buffer,
  signal: AbortSignal,
): https.RequestOptions {
  return {
    method: 'POST',
    protocol: dest.url.protocol,
    hostname: dest.hostname,
    port: dest.port,
    path: `${dest.url.pathname}${dest.url.search}`,
    headers: {
      ...request.headers,
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': USER_AGENT,
    },
    lookup: dest.lookup,
    // a fresh connection per attempt: a pooled socket could belong to another policy's check
    agent: false,
    signal,
  };
}

function post(
  dest: CheckedDestination,
  request: WebhookRequest,
  signal: AbortSignal,
  o: { timeoutMs: number; connectTimeoutMs: number; maxSnippetBytes: number },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = Buffer.from(request.body, 'utf8');
    const transport = dest.url.protocol === 'https:' ? https : http;
    let settled = false;
    let status: number | undefined;
    let location: string | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;
    const snippet = () => Buffer.concat(chunks).toString('utf8');
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      req.destroy();
    };
    const req = transport.request(requestOptions(dest, request, body, signal));
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => req.destroy(new ConnectTimeoutError('connect timeout')),
        o.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.on('error', (err) => {
      // once the status is known, a cut-short body does not change the outcome
      settle(
        status === undefined
          ? { ok: false, error: describeError(err, o), responseSnippet: '' }
          : outcomeFor(status, location, snippet()),
      );
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      location = res.headers.location;
      const finish = () => settle(outcomeFor(status ?? 0, location, snippet()));
      res.on('data', (chunk: Buffer) => {
        if (kept < o.maxSnippetBytes) {
          const part = chunk.subarray(0, o.maxSnippetBytes - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (kept >= o.maxSnippetBytes) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('aborted', finish);
    });
    req.end(body);
  });
}

/** Races a promise against the attempt's deadline. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Makes one delivery attempt; never throws for network or policy failures (they are in the result). */
export async function deliverWebhook(
  request: WebhookRequest,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const o = {
    timeoutMs: options.timeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    maxSnippetBytes: options.maxSnippetBytes ?? 4096,
  };
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const done = (outcome: Outcome): DeliveryResult => ({
    ...outcome,
    durationMs: Math.max(0, Math.round(clock() - started)),
  });
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), o.timeoutMs);
  try {
    let dest: CheckedDestination;
    try {
      dest = await withSignal(
        checkDestination(request.url, options.policy, options.resolve),
        controller.signal,
      );
    } catch (err) {
      if (err instanceof DestinationRefusedError) {
        return done({
          ok: false,
          error: `destination refused: ${err.reason}`,
          responseSnippet: '',
          permanent: err.permanent,
        });
      }
      return done({ ok: false, error: describeError(err, o), responseSnippet: '' });
    }
    return done(await post(dest, request, controller.signal, o));
  } finally {
    clearTimeout(deadline);
  }
}
