import { z } from 'zod';
import type { S3Settings } from './s3FileStore';

export interface FileLimits {
  /** The largest single file kept (FILES_MAX_FILE_MB). */
  maxFileBytes: number;
  /** The most a case's files may add up to (FILES_MAX_CASE_MB). */
  maxCaseBytes: number;
  /** How many files one case may carry (FILES_MAX_CASE_COUNT). */
  maxCaseFiles: number;
}

export interface FilesConfig {
  store: { kind: 'local'; dir: string } | ({ kind: 's3' } & S3Settings);
  limits: FileLimits;
}

export const DEFAULT_FILES_DIR = 'data/files';
export const DEFAULT_FILE_LIMITS: FileLimits = { maxFileBytes: 50 * 1024 * 1024, maxCaseBytes: 200 * 1024 * 1024, maxCaseFiles: 30 };

const boolean = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const megabytes = (fallback: number) => z.coerce.number().positive().max(10_240).default(fallback).transform((mb) => Math.round(mb * 1024 * 1024));

const schema = z.object({
  FILES_DIR: z.string().min(1).default(DEFAULT_FILES_DIR),
  FILES_MAX_FILE_MB: megabytes(50),
  FILES_MAX_CASE_MB: megabytes(200),
  FILES_MAX_CASE_COUNT: z.coerce.number().int().min(1).max(500).default(30),
  FILES_S3_ENDPOINT: z.string().regex(/^https?:\/\/[^\s/?#]+\/?$/, 'must look like https://oss-cn-shanghai.aliyuncs.com (scheme and host only)').optional(),
  FILES_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lower-case letters, digits, dots, hyphens)').optional(),
  FILES_S3_REGION: z.string().min(1).default('us-east-1'),
  FILES_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  FILES_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  FILES_S3_FORCE_PATH_STYLE: boolean.default(true),
  FILES_S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or end with a slash, e.g. dandang/').default(''),
});

/** FILES_S3_BUCKET switches to the object store; without it files go to FILES_DIR. Problems are `VAR: message`. */
export function loadFilesConfig(environment: NodeJS.ProcessEnv): { config?: FilesConfig; problems: string[] } {
  const present = Object.fromEntries(Object.entries(environment).filter(([key, value]) => key.startsWith('FILES_') && value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const env = parsed.data;
  const limits = { maxFileBytes: env.FILES_MAX_FILE_MB, maxCaseBytes: env.FILES_MAX_CASE_MB, maxCaseFiles: env.FILES_MAX_CASE_COUNT };
  if (env.FILES_MAX_FILE_MB > env.FILES_MAX_CASE_MB) return { problems: ['FILES_MAX_FILE_MB: must not exceed FILES_MAX_CASE_MB'] };
  const s3Named = Object.keys(present).filter((key) => key.startsWith('FILES_S3_'));
  if (!env.FILES_S3_BUCKET) {
    return s3Named.length > 0 ? { problems: [`FILES_S3_BUCKET: required when ${s3Named.join(', ')} is set`] } : { config: { store: { kind: 'local', dir: env.FILES_DIR }, limits }, problems: [] };
  }
  if (!env.FILES_S3_ACCESS_KEY_ID || !env.FILES_S3_SECRET_ACCESS_KEY) return { problems: ['FILES_S3_ACCESS_KEY_ID: the object store needs FILES_S3_ACCESS_KEY_ID and FILES_S3_SECRET_ACCESS_KEY'] };
  return {
    config: {
      store: {
        kind: 's3',
        endpoint: env.FILES_S3_ENDPOINT?.replace(/\/$/, ''),
        bucket: env.FILES_S3_BUCKET,
        region: env.FILES_S3_REGION,
        accessKeyId: env.FILES_S3_ACCESS_KEY_ID,
        secretAccessKey: env.FILES_S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.FILES_S3_FORCE_PATH_STYLE,
        prefix: env.FILES_S3_PREFIX,
      },
      limits,
    },
    problems: [],
  };
}
