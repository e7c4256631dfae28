import { createHash, randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { StorageFullError, StoredFileNotFoundError } from './errors.js';

/**
 * Stored files live in a directory of their own (the server passes `<dataDir>/files`, never a
 * directory that is served statically) under generated names: 128 random bits in hex, fanned out
 * as `ab/cd/abcd…` so no directory grows huge. Nothing of the client's file name reaches the disk.
 * Writes are atomic: a temporary file in the target directory is written, fsynced and renamed, and
 * the directory is fsynced, so a crash leaves either the whole file or no file (plus, at worst, a
 * `.tmp-` file that `sweepTemp` removes).
 */

export interface StoredFile {
  /** The generated name; the only handle to the file. */
  key: string;
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
}

export type VerifyResult = 'ok' | 'missing' | 'corrupt';

/** The few file system calls the store makes; replaceable in tests to simulate a full disk. */
export interface FileStoreIo {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
  mkdir: typeof fsp.mkdir;
}

const KEY = /^[0-9a-f]{32}$/;
const TEMP_PREFIX = '.tmp-';

/** True when the value has the shape of a generated key (and so cannot point outside the store). */
export function isFileKey(key: string): boolean {
  return KEY.test(key);
}

function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class FileStore {
  readonly root: string;
  private readonly io: FileStoreIo;
  private readonly random: (n: number) => Buffer;

  constructor(root: string, deps: { io?: Partial<FileStoreIo>; randomBytes?: (n: number) => Buffer } = {}) {
    this.root = root;
    this.io = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, mkdir: fsp.mkdir, ...deps.io };
    this.random = deps.randomBytes ?? randomBytes;
  }

  /** Path of a stored file; throws StoredFileNotFoundError for anything that is not a generated key. */
  pathOf(key: string): string {
    if (!isFileKey(key)) throw new StoredFileNotFoundError(key);
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  /** Writes the bytes under a new generated key; ENOSPC/EDQUOT surface as StorageFullError. */
  async put(bytes: Uint8Array): Promise<StoredFile> {
    const key = this.random(16).toString('hex');
    const target = this.pathOf(key);
    const dir = join(this.root, key.slice(0, 2), key.slice(2, 4));
    const temp = join(dir, `${TEMP_PREFIX}${this.random(8).toString('hex')}`);
    try {
      await this.io.mkdir(dir, { recursive: true, mode: 0o700 });
      const handle = await this.io.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.io.rename(temp, target);
    } catch (err) {
      await this.io.unlink(temp).catch(() => undefined);
      throw isDiskFull(err) ? new StorageFullError(err) : err;
    }
    await syncDir(dir);
    return { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  /** Opens a stored file for reading; StoredFileNotFoundError when there is none. */
  async openRead(key: string): Promise<{ stream: Readable; size: number }> {
    const path = this.pathOf(key);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(path, 'r');
    } catch (err) {
      if (isMissing(err)) throw new StoredFileNotFoundError(key);
      throw err;
    }
    // one open handle for stat and stream, so a concurrent delete cannot split them
    try {
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Removes a stored file; false when there was none. */
  async delete(key: string): Promise<boolean> {
    try {
      await this.io.unlink(this.pathOf(key));
      return true;
    } catch (err) {
      if (isMissing(err) || err instanceof StoredFileNotFoundError) return false;
      throw err;
    }
  }

  /** Re-reads a stored file and compares its SHA-256 with the recorded one. */
  async verify(key: string, sha256: string): Promise<VerifyResult> {
    let opened: { stream: Readable };
    try {
      opened = await this.openRead(key);
    } catch (err) {
      if (err instanceof StoredFileNotFoundError) return 'missing';
      throw err;
    }
    const hash = createHash('sha256');
    for await (const chunk of opened.stream) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256.toLowerCase() ? 'ok' : 'corrupt';
  }

  /** Removes temporary files older than `maxAgeMs` left by a crash between write and rename. */
  async sweepTemp(now: Date, maxAgeMs = 60 * 60 * 1000): Promise<number> {
    let removed = 0;
    for (const a of await listDirs(this.root)) {
      for (const b of await listDirs(join(this.root, a))) {
        const dir = join(this.root, a, b);
        for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
          if (!name.startsWith(TEMP_PREFIX)) continue;
          const path = join(dir, name);
          const st = await fsp.stat(path).catch(() => null);
          if (st && now.getTime() - st.mtimeMs > maxAgeMs) {
            await fsp.unlink(path).catch(() => undefined);
            removed++;
          }
        }
      }
    }
    return removed;
  }
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}

/** Makes the rename durable; some platforms cannot fsync a directory, which is then skipped. */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}
