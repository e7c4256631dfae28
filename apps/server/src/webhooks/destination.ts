import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './ip-ranges.js';

/**
 * Where a webhook may be sent. A department's administrator types the URL, so it is treated as
 * hostile: it could aim the server at its own admin ports, the cloud metadata service or the
 * intranet (server-side request forgery). The URL must be https (unless allowed), name an allowed
 * host and port, carry no credentials, and every address the name resolves to must be public
 * (unless allowed). The connection is then pinned to the checked address, so a second DNS answer
 * (DNS rebinding) cannot move it; TLS SNI and the Host header still carry the host name.
 */

export interface DestinationPolicy {
  /** Exact host names or IP literals, `*.example.org` (any subdomain, not the apex), or `*` (any host). */
  allowedHosts: readonly string[];
  /** Allow plain http (tests, or a receiver on a trusted network). Default false. */
  allowHttp?: boolean;
  /** Allow private, loopback and other non-public addresses. Default false. */
  allowPrivate?: boolean;
  /** Allowed ports; default 443 and 8443 (https), 80 and 8080 (http). */
  allowedPorts?: readonly number[] | 'any';
}

/** Resolves a host name to all its addresses (injected in tests; `dns.lookup` otherwise). */
export type Resolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

export interface CheckedDestination {
  url: URL;
  /** Host name without IPv6 brackets; used for SNI and the Host header. */
  hostname: string;
  port: number;
  /** The checked address the connection must go to. */
  address: string;
  family: 4 | 6;
  /** A `lookup` for http(s).request that answers only the checked address. */
  lookup: LookupFunction;
}

/**
 * The destination may not be used. `permanent` refusals come from the URL and the policy and will
 * not change by waiting; others (DNS) may.
 */
export class DestinationRefusedError extends Error {
  readonly reason: string;
  readonly permanent: boolean;

  constructor(reason: string, permanent: boolean) {
    super(`webhook destination refused: ${reason}`);
    this.name = 'DestinationRefusedError';
    this.reason = reason;
    this.permanent = permanent;
  }
}

function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/** True when the host name matches one of the patterns (exact, `*.suffix`, or `*`). */
export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = normaliseHost(hostname);
  return patterns.some((raw) => {
    const pattern = normaliseHost(raw);
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) {
      const suffix = pattern.slice(1); // ".example.org"
      return host.endsWith(suffix) && host.length > suffix.length && isIP(host) === 0;
    }
    return host === pattern;
  });
}

function defaultPorts(protocol: string): number[] {
  return protocol === 'https:' ? [443, 8443] : [80, 8080];
}

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family } satisfies LookupAddress]);
    else callback(null, address, family);
  };
}

/** Checks a URL against the policy and DNS; throws DestinationRefusedError, else gives the pinned target. */
export async function checkDestination(
  rawUrl: string,
  policy: DestinationPolicy,
  resolve: Resolver = systemResolver,
): Promise<CheckedDestination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DestinationRefusedError('not a valid URL', true);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new DestinationRefusedError(`scheme ${url.protocol} not allowed (use https)`, true);
  }
  if (url.username || url.password) throw new DestinationRefusedError('credentials in the URL', true);
  const hostname = normaliseHost(url.hostname);
  if (!hostname || !hostAllowed(hostname, policy.allowedHosts)) {
    throw new DestinationRefusedError(`host ${hostname} is not on the allowlist`, true);
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const ports = policy.allowedPorts ?? defaultPorts(url.protocol);
  if (ports !== 'any' && !ports.includes(port))
    throw new DestinationRefusedError(`port ${port} not allowed`, true);

  const literal = isIP(hostname);
  let addresses: ReadonlyArray<{ address: string; family: number }>;
  if (literal) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new DestinationRefusedError(
        `host ${hostname} did not resolve (${String(code ?? 'error')})`,
        false,
      );
    }
  }
  const first = addresses[0];
  if (!first) throw new DestinationRefusedError(`host ${hostname} has no addresses`, false);
  if (!policy.allowPrivate) {
    for (const { address } of addresses) {
      const cls = classifyAddress(address);
      // an IP literal will stay what it is; a name may resolve differently later
      if (cls !== 'public')
        throw new DestinationRefusedError(`${hostname} resolves to a ${cls} address`, literal !== 0);
    }
  }
  const family = first.family === 6 ? 6 : 4;
  return { url, hostname, port, address: first.address, family, lookup: pinnedLookup(first.address, family) };
}
