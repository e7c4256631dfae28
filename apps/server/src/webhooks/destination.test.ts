import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDestination, DestinationRefusedError, hostAllowed } from './destination.js';
import type { DestinationPolicy, Resolver } from './destination.js';
import { classifyAddress } from './ip-ranges.js';

describe('classifyAddress', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.1.1.1', 'reserved'],
    ['192.0.2.7', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['not-an-ip', 'invalid'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2001:4860::8888', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['2002:0808:0808::1', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it('never calls an address in 10/8, 127/8 or 192.168/16 public, however written', () => {
    const private4 = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(private4, fc.boolean(), ([a, b, c, d], mapped) => {
        const dotted = `${a}.${b}.${c}.${d}`;
        return classifyAddress(mapped ? `::ffff:${dotted}` : dotted) !== 'public';
      }),
    );
  });
});

describe('hostAllowed', () => {
  it('matches exact names and *.suffix patterns (subdomains only), case and trailing dot ignored', () => {
    const list = ['hooks.example.org', '*.city.gov.example'];
    expect(hostAllowed('hooks.example.org', list)).toBe(true);
    expect(hostAllowed('HOOKS.example.org.', list)).toBe(true);
    expect(hostAllowed('evil-hooks.example.org', list)).toBe(false);
    expect(hostAllowed('hooks.example.org.evil.test', list)).toBe(false);
    expect(hostAllowed('a.city.gov.example', list)).toBe(true);
    expect(hostAllowed('a.b.city.gov.example', list)).toBe(true);
    expect(hostAllowed('city.gov.example', list)).toBe(false);
    expect(hostAllowed('xcity.gov.example', list)).toBe(false);
    expect(hostAllowed('anything.test', [])).toBe(false);
    expect(hostAllowed('anything.test', ['*'])).toBe(true);
  });
});

describe('checkDestination', () => {
  const table: Record<string, string[]> = {
    'hooks.example.org': ['93.184.216.34'],
    'v6.example.org': ['2001:4860::8888'],
    'internal.example.org': ['10.0.0.5'],
    'mixed.example.org': ['93.184.216.34', '127.0.0.1'],
    'metadata.example.org': ['169.254.169.254'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
  };
  const calls: string[] = [];
  const resolve: Resolver = async (host) => {
    calls.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const policy: DestinationPolicy = { allowedHosts: ['*.example.org', '8.8.8.8', '127.0.0.1'] };

  async function refusal(url: string, p: DestinationPolicy = policy): Promise<DestinationRefusedError> {
    const err = await checkDestination(url, p, resolve).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationRefusedError);
    return err as DestinationRefusedError;
  }

  it('accepts a public https destination and pins the connection to the checked address', async () => {
    const d = await checkDestination('https://hooks.example.org/in?x=1', policy, resolve);
    expect(d).toMatchObject({
      hostname: 'hooks.example.org',
      port: 443,
      address: '93.184.216.34',
      family: 4,
    });
    const answers: unknown[] = [];
    d.lookup('hooks.example.org', { all: true }, (_e, addresses) => answers.push(addresses));
    d.lookup('hooks.example.org', {}, (_e, address, family) => answers.push([address, family]));
    expect(answers).toEqual([[{ address: '93.184.216.34', family: 4 }], ['93.184.216.34', 4]]);
    const v6 = await checkDestination('https://v6.example.org/', policy, resolve);
    expect([v6.address, v6.family]).toEqual(['2001:4860::8888', 6]);
  });

  it.each([
    ['http://hooks.example.org/', /scheme http/],
    ['ftp://hooks.example.org/', /scheme ftp/],
    ['https://user:pw@hooks.example.org/', /credentials/],
    ['https://hooks.other.test/', /not on the allowlist/],
    ['https://example.org/', /not on the allowlist/],
    ['https://hooks.example.org:22/', /port 22/],
    ['not a url', /not a valid URL/],
  ])('refuses %s permanently', async (url, reason) => {
    const err = await refusal(url);
    expect(err.reason).toMatch(reason);
    expect(err.permanent).toBe(true);
  });

  it.each([
    ['https://internal.example.org/', /private/],
    ['https://mixed.example.org/', /loopback/],
    ['https://metadata.example.org/', /metadata/],
    ['https://mapped.example.org/', /loopback/],
    ['https://missing.example.org/', /did not resolve \(ENOTFOUND\)/],
  ])('refuses %s when any resolved address is not public', async (url, reason) => {
    expect((await refusal(url)).reason).toMatch(reason);
  });

  it('refuses IP literals that are not public without asking DNS, and accepts public ones', async () => {
    calls.length = 0;
    const err = await refusal('https://127.0.0.1/');
    expect(err.reason).toMatch(/loopback/);
    expect(err.permanent).toBe(true);
    expect(calls).toEqual([]);
    expect((await checkDestination('https://8.8.8.8/', policy, resolve)).address).toBe('8.8.8.8');
    // the WHATWG parser turns other spellings of 127.0.0.1 into the dotted form first
    expect((await refusal('https://2130706433/')).reason).toMatch(/loopback/);
  });

  it('lets a policy allow http, private addresses and other ports', async () => {
    const open: DestinationPolicy = { ...policy, allowHttp: true, allowPrivate: true, allowedPorts: 'any' };
    const d = await checkDestination('http://internal.example.org:9000/hook', open, resolve);
    expect([d.address, d.port, d.url.protocol]).toEqual(['10.0.0.5', 9000, 'http:']);
    const local = await checkDestination('http://127.0.0.1:3000/', open, resolve);
    expect(local.address).toBe('127.0.0.1');
  });
});
