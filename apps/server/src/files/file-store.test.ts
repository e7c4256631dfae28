import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageFullError, StoredFileNotFoundError } from './errors.js';
import { FileStore, isFileKey } from './file-store.js';

let root: string;

beforeEach(async () => {
  root = await fsp.mkdtemp(join(tmpdir(), 'civicgrid-files-'));
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

const bound = (v: unknown, self: object): unknown =>
  typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(self) : v;

const enospc = (): Error => Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });

async function readAll(store: FileStore, key: string): Promise<Buffer> {
  const { stream } = await store.openRead(key);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('FileStore', () => {
  it('stores, reads back, verifies and deletes a file under a generated, fanned-out name', async () => {
    const store = new FileStore(root);
    const bytes = Buffer.from('photo bytes \u0000\u00ff');
    const saved = await store.put(bytes);
    expect(isFileKey(saved.key)).toBe(true);
    expect(saved.size).toBe(bytes.length);
    expect(saved.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await allFiles(root)).toEqual([
      [saved.key.slice(0, 2), saved.key.slice(2, 4), saved.key].join(sep),
    ]);
    const opened = await store.openRead(saved.key);
    opened.stream.destroy();
    expect(opened.size).toBe(bytes.length);
    expect((await readAll(store, saved.key)).equals(bytes)).toBe(true);
    expect(await store.verify(saved.key, saved.sha256)).toBe('ok');
    expect(await store.delete(saved.key)).toBe(true);
    expect(await store.delete(saved.key)).toBe(false);
    expect(await store.verify(saved.key, saved.sha256)).toBe('missing');
    await expect(store.openRead(saved.key)).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });

  it('detects a file changed on disk', async () => {
    const store = new FileStore(root);
    const saved = await store.put(Buffer.from('original'));
    await fsp.writeFile(store.pathOf(saved.key), 'tampered');
    expect(await store.verify(saved.key, saved.sha256)).toBe('corrupt');
  });

  it('gives unique 128-bit names that do not follow from one another', async () => {
    const store = new FileStore(root);
    const keys = await Promise.all(Array.from({ length: 50 }, () => store.put(Buffer.from('same content'))));
    const names = keys.map((k) => k.key);
    expect(new Set(names).size).toBe(50);
    for (const n of names) expect(n).toMatch(/^[0-9a-f]{32}$/);
    // no shared long prefix as counters or timestamps would give
    const prefixes = new Set(names.map((n) => n.slice(0, 4)));
    expect(prefixes.size).toBeGreaterThan(40);
  });

  it('refuses keys that are not generated names (no path traversal)', async () => {
    const store = new FileStore(root);
    for (const bad of [
      '../../etc/passwd',
      'ABCDEF0123456789ABCDEF0123456789',
      '',
      'a'.repeat(31),
      `${'a'.repeat(32)}/x`,
    ]) {
      expect(() => store.pathOf(bad)).toThrow(StoredFileNotFoundError);
      await expect(store.openRead(bad)).rejects.toBeInstanceOf(StoredFileNotFoundError);
      expect(await store.delete(bad)).toBe(false);
    }
  });

  it('maps a full disk during the write to StorageFullError and leaves no temp file', async () => {
    const store = new FileStore(root, {
      io: {
        open: (async (...args: Parameters<typeof fsp.open>) => {
          const handle = await fsp.open(...args);
          return new Proxy(handle, {
            get: (target, prop, receiver) =>
              prop === 'writeFile'
                ? async () => {
                    await target.writeFile('partial');
                    throw enospc();
                  }
                : bound(Reflect.get(target, prop, receiver), target),
          });
        }) as typeof fsp.open,
      },
    });
    const err = await store.put(Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as StorageFullError).code).toBe('UNAVAILABLE');
    expect(await allFiles(root)).toEqual([]);
  });

  it('cleans up the temp file when the rename fails, and passes other errors through', async () => {
    const eio = Object.assign(new Error('i/o error'), { code: 'EIO' });
    const store = new FileStore(root, { io: { rename: async () => Promise.reject(eio) } });
    await expect(store.put(Buffer.from('x'))).rejects.toBe(eio);
    expect(await allFiles(root)).toEqual([]);
  });

  it('sweeps temp files left by a crash, but only old ones', async () => {
    const store = new FileStore(root);
    const saved = await store.put(Buffer.from('kept'));
    const dir = join(root, saved.key.slice(0, 2), saved.key.slice(2, 4));
    await fsp.writeFile(join(dir, '.tmp-deadbeef'), 'half written');
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    expect(await store.sweepTemp(new Date())).toBe(0);
    expect(await store.sweepTemp(later)).toBe(1);
    expect(await allFiles(root)).toHaveLength(1);
    expect(await store.verify(saved.key, saved.sha256)).toBe('ok');
  });
});
