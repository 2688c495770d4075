import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3 } from '../rareModules';
import { checkedKey, type FileStore } from './fileStore';

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most self-hosted stores want bucket/key paths instead of bucket.host names. */
  forcePathStyle: boolean;
  /** Keys under this prefix, so that one bucket can hold several zones. */
  prefix: string;
}

/**
 * An S3-compatible object store (MinIO, 阿里云 OSS, 腾讯云 COS, AWS S3) through the AWS SDK. Checksums
 * are sent and checked only where the API requires them: several compatible stores do not accept
 * the SDK's newer default (CRC32 trailers on every upload); our own sha256 covers the bytes anyway.
 * The SDK is loaded and the client made at the first file stored or read (see rareModules).
 */
export class S3FileStore implements FileStore {
  private client: S3Client | undefined;

  constructor(private readonly settings: S3Settings) {}

  private async sdk(): Promise<{ client: S3Client; sdk: Awaited<ReturnType<typeof loadS3>> }> {
    const sdk = await loadS3();
    this.client ??= new sdk.S3Client({
      endpoint: this.settings.endpoint,
      region: this.settings.region,
      forcePathStyle: this.settings.forcePathStyle,
      credentials: { accessKeyId: this.settings.accessKeyId, secretAccessKey: this.settings.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { client: this.client, sdk };
  }

  get where(): string {
    return `s3:${this.settings.endpoint ?? 'aws'}/${this.settings.bucket}/${this.settings.prefix}`;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const { client, sdk } = await this.sdk();
    await client.send(new sdk.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key), Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { client, sdk } = await this.sdk();
    try {
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
      return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (error instanceof sdk.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  close(): void {
    this.client?.destroy();
  }

  private keyOf(key: string): string {
    return `${this.settings.prefix}${checkedKey(key)}`;
  }
}
