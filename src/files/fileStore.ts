import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where the bytes of received files and produced archives live. Keys are relative paths such as
 * `files/2026/12/ab/ab34….png`; the database keeps the key, the name, the size and the sha256,
 * so a store can be copied to another (a directory to an object store) without touching a row.
 */
export interface FileStore {
  /** A short description for logs and the README's "where is what": `local:/srv/dandang/files`. */
  readonly where: string;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`; undefined when nothing is stored there. */
  get(key: string): Promise<Buffer | undefined>;
}

/** Keys are written by this bot only, but a key is never allowed to leave the store's root. */
export function checkedKey(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/.test(key) || key.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`not a file store key: ${key}`);
  }
  return key;
}

/** A directory on this machine (FILES_DIR): the default, and what the embedded mode uses. */
export class LocalFileStore implements FileStore {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  get where(): string {
    return `local:${this.root}`;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a crash mid-write never leaves half a file under the real key.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const path = this.pathOf(key);
    try {
      if (!(await stat(path)).isFile()) return undefined;
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private pathOf(key: string): string {
    const path = join(this.root, checkedKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error(`not a file store key: ${key}`);
    return path;
  }
}
