import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DingtalkApi } from '../../src/channels/dingtalk/api';
import { loadDingtalkConfig } from '../../src/channels/dingtalk/config';
import { DingtalkMediaFetcher } from '../../src/channels/dingtalk/media';
import { WecomApi } from '../../src/channels/wecom/api';
import { loadWecomConfig } from '../../src/channels/wecom/config';
import { WecomMediaFetcher } from '../../src/channels/wecom/media';
import { DEFAULT_FILE_LIMITS } from '../../src/files/config';
import { LocalFileStore } from '../../src/files/fileStore';
import type { MediaFetcher } from '../../src/files/mediaFetcher';
import { createLogger } from '../../src/logger';
import { createStateStore } from '../../src/state';
import { databaseBackends } from '../support/backends';
import { FakeDingtalk } from '../support/fakeDingtalk';
import { FakeWecom } from '../support/fakeWecom';
import { RecordingNotifier, openSampleZone, type SampleZone } from '../support/sampleZone';
import { samplePdf, samplePng, sampleDocx } from '../support/sampleFiles';
import { APP_KEY, APP_SECRET, ROBOT_CODE, dingtalkEnv } from '../channels/dingtalk/callbacks';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from '../channels/wecom/callbacks';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const HOUR = 3600 * 1000;

describe.each(databaseBackends)('files people send, fetched by a job ($name)', (backend) => {
  let wecom: FakeWecom;
  let dingtalk: FakeDingtalk;
  let dir: string;
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  let store: LocalFileStore;

  async function open(limits = DEFAULT_FILE_LIMITS, chunkBytes?: number): Promise<void> {
    const clockless = createStateStore(undefined, { now: () => new Date() });
    const logger = createLogger('silent');
    const fetchers: Record<string, MediaFetcher> = {
      wecom: new WecomMediaFetcher(new WecomApi(loadWecomConfig(wecomEnv(wecom))!, clockless, logger), chunkBytes),
      dingtalk: new DingtalkMediaFetcher(new DingtalkApi(loadDingtalkConfig(dingtalkEnv(dingtalk))!, clockless, logger), { robotCode: ROBOT_CODE, apiTimeoutMs: 1000 }),
    };
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier, env: { FILES_MAX_FILE_MB: String(limits.maxFileBytes / 1024 / 1024) }, ports: { fileStore: store, mediaFetchers: fetchers } });
  }
  const texts = (code: string) => notifier.sent.filter((s) => s.personId === zone.id(code)).map((s) => (s.message.kind === 'text' ? s.message.text : ''));
  const arrive = (channel: string, mediaId: string, mediaKind: 'image' | 'video' | 'file', fileName?: string) =>
    zone.services.files.receive({ channel, mediaId, mediaKind, fileName, senderId: zone.id('P012'), receivedAt: zone.clock.now().toISOString() });

  beforeEach(async () => {
    wecom = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    dingtalk = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
    dir = await mkdtemp(join(tmpdir(), 'dandang-files-'));
    store = new LocalFileStore(dir);
  });
  afterEach(async () => {
    await zone?.dispose();
    await wecom.close();
    await dingtalk.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a WeCom picture with its name, type, size and sha256, fetched by the job and not before', async () => {
    await open();
    const png = samplePng();
    wecom.media.set('MEDIA-PNG', { ...png, fileName: 'MEDIA-PNG.png' });
    const file = await arrive('wecom', 'MEDIA-PNG', 'image');
    expect(file.status).toBe('pending');
    expect(wecom.calls('/cgi-bin/media/get')).toHaveLength(0);
    expect(await arrive('wecom', 'MEDIA-PNG', 'image')).toMatchObject({ id: file.id });

    await zone.scheduler().runDue();
    const stored = (await zone.services.files.byId(file.id))!;
    expect(stored).toMatchObject({ status: 'stored', fileName: 'MEDIA-PNG.png', contentType: 'image/png', sizeBytes: png.bytes.length, sha256: sha(png.bytes), senderId: zone.id('P012') });
    expect(await zone.services.files.content(stored)).toEqual(png.bytes);
    expect(wecom.calls('/cgi-bin/media/get')).toHaveLength(1);
  });

  it('fetches a WeCom video over the part size in Range parts and puts it together', async () => {
    await open(DEFAULT_FILE_LIMITS, 1000);
    const video = Buffer.alloc(2500, 7);
    video.write('ftypmp42', 4);
    wecom.media.set('MEDIA-MP4', { bytes: video, contentType: 'video/mp4', fileName: 'clip.mp4' });
    const file = await arrive('wecom', 'MEDIA-MP4', 'video');
    await zone.scheduler().runDue();
    const stored = (await zone.services.files.byId(file.id))!;
    expect(stored).toMatchObject({ status: 'stored', sizeBytes: 2500, sha256: sha(video) });
    expect(wecom.calls('/cgi-bin/media/get')).toHaveLength(3);
  });

  it('retries a failed fetch with backoff until it succeeds', async () => {
    await open();
    const png = samplePng();
    wecom.media.set('MEDIA-PNG', { ...png, fileName: 'a.png' });
    wecom.fail('/cgi-bin/media/get', 'http500', 2);
    const file = await arrive('wecom', 'MEDIA-PNG', 'image');
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(file.id))!).toMatchObject({ status: 'pending', attempts: 1 });
    await zone.scheduler().runDue();
    expect(wecom.calls('/cgi-bin/media/get')).toHaveLength(1);
    zone.clock.advance(30_000);
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(file.id))!).toMatchObject({ status: 'pending', attempts: 2 });
    zone.clock.advance(60_000);
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(file.id))!).toMatchObject({ status: 'stored', attempts: 3 });
    expect(notifier.sent).toHaveLength(0);
  });

  it('reports a file WeCom no longer holds to its sender and to 党群工作部, once', async () => {
    await open();
    wecom.outage = 'http500';
    const file = await arrive('wecom', 'MEDIA-GONE', 'image');
    for (let hour = 0; hour < 80; hour += 1) {
      await zone.scheduler().runDue();
      zone.clock.advance(HOUR);
    }
    const lost = (await zone.services.files.byId(file.id))!;
    expect(lost.status).toBe('expired');
    expect(lost.attempts).toBeGreaterThan(5);
    // Reminders of other things may come meanwhile; of this file, one message each.
    expect(texts('P012').filter((t) => t.includes('未能保存'))).toEqual(['您 11 月 27 日发送的“图片”未能保存，请重新发送。']);
    for (const admin of ['P005', 'P006']) expect(texts(admin).filter((t) => t.includes('文件未能保存'))).toEqual([expect.stringContaining('11 月 27 日发送的图片“图片”在有效期内未能取回')]);
  });

  it('gives up at once on a media id WeCom refuses as invalid (40007)', async () => {
    await open();
    const file = await arrive('wecom', 'MEDIA-UNKNOWN', 'image');
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(file.id))!).toMatchObject({ status: 'expired', attempts: 1 });
    expect(texts('P012')).toHaveLength(1);
  });

  it('keeps a PDF and a Word file sent to the DingTalk robot, by downloadCode', async () => {
    await open();
    const pdf = await samplePdf();
    const docx = await sampleDocx();
    dingtalk.files.set('CODE-PDF', pdf);
    dingtalk.files.set('CODE-DOCX', docx);
    dingtalk.fail('/v1.0/robot/messageFiles/download', 'http500');
    const a = await arrive('dingtalk', 'CODE-PDF', 'file', pdf.name);
    const b = await arrive('dingtalk', 'CODE-DOCX', 'file', docx.name);
    await zone.scheduler().runDue();
    zone.clock.advance(60_000);
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(a.id))!).toMatchObject({ status: 'stored', fileName: pdf.name, contentType: 'application/pdf', sha256: sha(pdf.bytes) });
    expect((await zone.services.files.byId(b.id))!).toMatchObject({ status: 'stored', fileName: docx.name, sha256: sha(docx.bytes) });
    expect(dingtalk.calls('/v1.0/robot/messageFiles/download').map((r) => r.body.robotCode)).toEqual([ROBOT_CODE, ROBOT_CODE, ROBOT_CODE]);
  });

  it('refuses a file over the per-file limit with a clear message, and keeps nothing of it', async () => {
    await open({ ...DEFAULT_FILE_LIMITS, maxFileBytes: 1024 * 1024 });
    dingtalk.files.set('CODE-BIG', { bytes: Buffer.alloc(1024 * 1024 + 1), contentType: 'application/pdf' });
    const file = await arrive('dingtalk', 'CODE-BIG', 'file', '扫描件.pdf');
    await zone.scheduler().runDue();
    expect((await zone.services.files.byId(file.id))!).toMatchObject({ status: 'rejected', storageKey: null, sha256: null });
    expect(texts('P012')).toEqual(['“扫描件.pdf”有 1.0 MB，超过了每个文件 1.0 MB 的上限（本区设置），未能保存。请压缩或拆分后重新发送。']);
  });
});
