import type { FilesConfig } from './config';
import { LocalFileStore, type FileStore } from './fileStore';
import { S3FileStore } from './s3FileStore';

/** The store FILES_* names. */
export function createFileStore(config: FilesConfig['store']): FileStore {
  return config.kind === 'local' ? new LocalFileStore(config.dir) : new S3FileStore(config);
}
