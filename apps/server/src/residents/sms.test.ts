import { describe, expect, it } from 'vitest';
import { loadResidentConfig, residentStartupWarnings } from './resident-config.js';
import { httpSmsProvider, logSmsProvider, smsProviderFor } from './sms.js';

function recordingLog() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    info: (m: string) => void lines.push(['info', m]),
    warn: (m: string) => void lines.push(['warn', m]),
  };
}

describe('SMS providers', () => {
  it('log (demo): writes the message with the number masked and the code visible', async () => {
    const log = recordingLog();
    await logSmsProvider(log).send('13912341234', '您的验证码是 123456，5分钟内有效。');
    expect(log.lines).toEqual([['info', 'SMS to 139****1234: 您的验证码是 123456，5分钟内有效。']]);
  });

  it('is named in the start-up warnings when production would write codes to the log', () => {
    const demo = loadResidentConfig({});
    expect(residentStartupWarnings(demo, false)).toEqual([]);
    const warnings = residentStartupWarnings(demo, true);
    expect(warnings[0]).toMatch(/CIVICGRID_SMS_PROVIDER=log in production/);
    expect(warnings[1]).toMatch(/CIVICGRID_PUBLIC_URL is http:\/\/127\.0\.0\.1:8080/);
    const real = loadResidentConfig({
      CIVICGRID_PUBLIC_URL: 'https://grid.example.gov.cn',
      CIVICGRID_SMS_PROVIDER: 'http',
      CIVICGRID_SMS_HTTP_URL: 'https://sms.example/send',
      CIVICGRID_SMS_HTTP_API_KEY: 'key-12345678',
    });
    expect(residentStartupWarnings(real, true)).toEqual([]);
    expect(smsProviderFor(real.sms, recordingLog())).not.toBe(undefined);
  });

  it('http: posts the vendor-neutral request with the key, and fails on a non-2xx answer', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    let status = 200;
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response('{}', { status });
    }) as unknown as typeof fetch;
    const sms = httpSmsProvider({ url: 'https://sms.example/send', apiKey: 'k-12345678' }, fake);
    await sms.send('13912341234', '您的验证码是 654321', { purpose: 'otp', code: '654321', ttlMinutes: 5 });
    expect(calls[0]!.url).toBe('https://sms.example/send');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer k-12345678');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      phone: '13912341234',
      text: '您的验证码是 654321',
      template: 'otp',
      params: { code: '654321', ttlMinutes: 5 },
    });
    status = 503;
    await expect(sms.send('13912341234', 'x')).rejects.toThrow(/503/);
  });
});

describe('resident configuration', () => {
  it('defaults to the demo providers, IM off, and the local address', () => {
    expect(loadResidentConfig({})).toEqual({
      publicUrl: 'http://127.0.0.1:8080',
      sms: { provider: 'log' },
      im: { secret: null, reply: { provider: 'log' } },
      ratePerMinute: 60,
      otpPerHour: 20,
    });
  });

  it('fails fast naming what an http provider lacks', () => {
    expect(() => loadResidentConfig({ CIVICGRID_SMS_PROVIDER: 'http' })).toThrow(/CIVICGRID_SMS_HTTP_URL/);
    expect(() => loadResidentConfig({ CIVICGRID_IM_SECRET: 'short' })).toThrow(/CIVICGRID_IM_SECRET/);
    expect(() => loadResidentConfig({ CIVICGRID_PUBLIC_URL: 'ftp://x' })).toThrow(/CIVICGRID_PUBLIC_URL/);
    const c = loadResidentConfig({
      CIVICGRID_SMS_PROVIDER: 'http',
      CIVICGRID_SMS_HTTP_URL: 'https://sms.example/send',
      CIVICGRID_SMS_HTTP_API_KEY: 'key-12345678',
      CIVICGRID_IM_SECRET: 'a-shared-secret-of-32-characters',
      CIVICGRID_IM_REPLY_PROVIDER: 'http',
      CIVICGRID_IM_REPLY_URL: 'https://bridge.example/replies',
    });
    expect(c.sms).toEqual({ provider: 'http', url: 'https://sms.example/send', apiKey: 'key-12345678' });
    expect(c.im.reply).toEqual({ provider: 'http', url: 'https://bridge.example/replies' });
  });
});
