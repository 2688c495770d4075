import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// s3rver ships no types: a real S3 protocol server (Koa) that keeps objects in a directory.
// @ts-expect-error no declaration file
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFilesConfig } from '../../src/files/config';
import { LocalFileStore, type FileStore } from '../../src/files/fileStore';
import { S3FileStore } from '../../src/files/s3FileStore';
import { samplePdf } from '../support/sampleFiles';

interface RunningS3 {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

let s3dir: string;
let localDir: string;
let server: RunningS3;
let endpoint: string;

beforeAll(async () => {
  s3dir = await mkdtemp(join(tmpdir(), 'dandang-s3-'));
  localDir = await mkdtemp(join(tmpdir(), 'dandang-local-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: 'dandang-files' }] }) as RunningS3;
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await server.close();
  await rm(s3dir, { recursive: true, force: true });
  await rm(localDir, { recursive: true, force: true });
});

const stores: { name: string; open(): FileStore }[] = [
  { name: 'a local directory', open: () => new LocalFileStore(localDir) },
  {
    name: 'an S3-compatible object store',
    open: () => {
      const { config } = loadFilesConfig({
        FILES_S3_ENDPOINT: endpoint,
        FILES_S3_BUCKET: 'dandang-files',
        FILES_S3_ACCESS_KEY_ID: 'S3RVER',
        FILES_S3_SECRET_ACCESS_KEY: 'S3RVER',
        FILES_S3_PREFIX: 'zone-a/',
      });
      if (config?.store.kind !== 's3') throw new Error('expected the S3 store');
      return new S3FileStore(config.store);
    },
  },
];

describe.each(stores)('the file store: $name', ({ open }) => {
  it('gives back the bytes it was given, and nothing for a key never written', async () => {
    const store = open();
    const pdf = await samplePdf();
    await store.put('files/ab/abc.pdf', pdf.bytes, pdf.contentType);
    expect(await store.get('files/ab/abc.pdf')).toEqual(pdf.bytes);
    expect(await store.get('files/ab/missing.pdf')).toBeUndefined();
    // Writing the same key again (a retried job) is harmless.
    await store.put('files/ab/abc.pdf', pdf.bytes, pdf.contentType);
    expect(await store.get('files/ab/abc.pdf')).toEqual(pdf.bytes);
  });

  it('refuses a key that would leave its root', async () => {
    const store = open();
    await expect(store.put('../etc/passwd', Buffer.from('x'), 'text/plain')).rejects.toThrow('not a file store key');
    await expect(store.get('files/../../x')).rejects.toThrow('not a file store key');
  });
});

describe('FILES_* settings', () => {
  it('default to a directory under ./data/', () => {
    expect(loadFilesConfig({}).config?.store).toEqual({ kind: 'local', dir: 'data/files' });
  });

  it('name what is missing or wrong', () => {
    expect(loadFilesConfig({ FILES_S3_ENDPOINT: 'http://minio:9000' }).problems).toEqual(['FILES_S3_BUCKET: required when FILES_S3_ENDPOINT is set']);
    expect(loadFilesConfig({ FILES_S3_BUCKET: 'b1b' }).problems).toEqual(['FILES_S3_ACCESS_KEY_ID: the object store needs FILES_S3_ACCESS_KEY_ID and FILES_S3_SECRET_ACCESS_KEY']);
    expect(loadFilesConfig({ FILES_MAX_FILE_MB: '500', FILES_MAX_CASE_MB: '100' }).problems).toEqual(['FILES_MAX_FILE_MB: must not exceed FILES_MAX_CASE_MB']);
    expect(loadFilesConfig({ FILES_MAX_FILE_MB: 'many' }).problems[0]).toMatch(/^FILES_MAX_FILE_MB: /);
  });
});
