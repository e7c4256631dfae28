import { isIPv4, isIPv6 } from 'node:net';

/**
 * What kind of address an IP is, for the webhook destination policy. Only 'public' may be reached
 * unless a policy allows private destinations. IPv6 is public only inside global unicast (2000::/3)
 * and outside its special blocks; addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4)
 * are judged by the IPv4 address inside.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

type V4Range = [base: number, prefix: number, cls: AddressClass];

function v4(dotted: string): number {
  return dotted.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

// Most specific first: the metadata address sits inside link-local.
const V4_RANGES: V4Range[] = [
  [v4('169.254.169.254'), 32, 'metadata'],
  [v4('255.255.255.255'), 32, 'broadcast'],
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function classifyV4Number(n: number): AddressClass {
  for (const [base, prefix, cls] of V4_RANGES) {
    const size = 2 ** (32 - prefix);
    if (n >= base && n < base + size) return cls;
  }
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (zone id already removed), or null. */
function v6Groups(address: string): number[] | null {
  if (!isIPv6(address)) return null;
  let text = address.toLowerCase();
  // a trailing dotted IPv4 part (::ffff:127.0.0.1) becomes two hex groups
  const lastColon = text.lastIndexOf(':');
  const dotted = text.slice(lastColon + 1);
  if (isIPv4(dotted)) {
    const n = v4(dotted);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const left = parse(halves[0]);
  const right = parse(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

function startsWithBits(groups: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function embeddedV4(hi: number, lo: number): number {
  return hi * 65536 + lo;
}

function classifyV6(g: number[]): AddressClass {
  const [g0 = 0, g1 = 0, , , , g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g7 === 1) return 'loopback';
  if (zeroUpTo(5) && g5 === 0xffff) return classifyV4Number(embeddedV4(g6, g7)); // ::ffff:a.b.c.d
  if (zeroUpTo(6)) return 'reserved'; // IPv4-compatible (deprecated)
  if (startsWithBits(g, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return classifyV4Number(embeddedV4(g6, g7)); // NAT64
  if (startsWithBits(g, [0x64, 0xff9b, 1], 48)) return 'private'; // local-use NAT64
  if (startsWithBits(g, [0xff00], 8)) return 'multicast';
  if (startsWithBits(g, [0xfe80], 10)) return 'link-local';
  if (startsWithBits(g, [0xfec0], 10)) return 'private'; // site-local (deprecated)
  if (startsWithBits(g, [0xfc00], 7)) return 'unique-local';
  if (!startsWithBits(g, [0x2000], 3)) return 'reserved'; // outside global unicast
  if (startsWithBits(g, [0x2001, 0x0db8], 32) || startsWithBits(g, [0x3fff], 20)) return 'documentation';
  if (startsWithBits(g, [0x2002], 16)) return classifyV4Number(embeddedV4(g1, g[2] ?? 0)); // 6to4
  if (startsWithBits(g, [0x2001], 23)) return 'reserved'; // Teredo, benchmarking, ORCHID…
  return g0 === 0 ? 'reserved' : 'public';
}

/** Classifies an IPv4 or IPv6 address (an IPv6 zone id such as `%eth0` is ignored). */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (isIPv4(bare)) return classifyV4Number(v4(bare));
  const groups = v6Groups(bare);
  return groups ? classifyV6(groups) : 'invalid';
}
