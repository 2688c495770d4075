import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/domain/workflow/types';
import { LocalFileStore } from '../../src/files/fileStore';
import type { ReceivedFile } from '../../src/files/receivedFile';
import { databaseBackends } from '../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../support/sampleZone';
import { samplePng } from '../support/sampleFiles';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const asAttachment = (f: ReceivedFile, fileName: string) => ({ channel: f.channel, mediaKind: f.mediaKind, mediaId: f.mediaId, fileName, receivedAt: f.receivedAt, fileId: f.id });

describe.each(databaseBackends)('归档: closing the task checks the package ($name)', (backend) => {
  let zone: SampleZone;
  let dir: string;
  let store: LocalFileStore;
  let c: CaseRecord;
  let taskId: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dandang-archive-'));
    store = new LocalFileStore(dir);
    zone = await openSampleZone(backend, { notifier: new RecordingNotifier(), ports: { fileStore: store } });
    const files = zone.services.files;
    const at = zone.clock.now().toISOString();
    const photo = await files.storeUploaded({ channel: 'wecom', mediaKind: 'image', mediaId: 'up-1', fileName: '现场照片.png', senderId: zone.id('P014'), receivedAt: at }, samplePng().bytes, 'image/png');
    // No fetcher for this channel: the job gives the file up at once, as one WeCom no longer has.
    const lost = await files.receive({ channel: 'gone', mediaKind: 'image', mediaId: 'm-lost', senderId: zone.id('P014'), receivedAt: at });
    await zone.scheduler().runDue();
    const pending = await files.receive({ channel: 'wecom', mediaKind: 'video', mediaId: 'm-later', senderId: zone.id('P014'), receivedAt: at });
    c = (
      await zone.services.tolerance.apply({
        draftKey: 'archive-1', applicant: await zone.person('P014'), matterId: null, matterText: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。',
        situations: [1], otherSituation: null, handedDown: false, involvesCityCadre: false, integrated: false, filingId: null, channel: 'test',
        attachments: [asAttachment(photo, '现场照片.png'), asAttachment(lost, '图片'), asAttachment(pending, '视频')],
      })
    ).record;
    await zone.services.cases.addTask(zone.db, { caseId: c.id, kind: 'archive', title: '相关资料和会议纪要存储归档（《容错细则》第六条（一）5）', assigneeId: zone.id('P009'), dueOn: null, now: at });
    taskId = (await zone.services.cases.tasks(c.id))[0].id;
  });
  afterEach(async () => {
    await zone.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('waits while a file is still being fetched, changing nothing', async () => {
    await expect(zone.services.archives.completeTask(taskId, await zone.person('P009'), '已归档。', 'test')).rejects.toThrow(/还有 1 个文件正在从消息平台取回（证明材料“视频”）/);
    expect((await zone.services.cases.task(taskId))!.status).toBe('open');
    expect(await zone.db.query(`SELECT id FROM audit_log WHERE action = 'case.archived'`)).toEqual([]);
  });

  it('closes with the package kept in the file store, saying what is missing', async () => {
    await zone.db.query(`UPDATE received_files SET status = 'expired' WHERE media_id = 'm-later'`);
    const said = await zone.services.archives.completeTask(taskId, await zone.person('P009'), '已归档。', 'test');
    expect(said).toContain('归档包已生成并保存');
    expect(said).toContain('缺少：');
    expect(said).toContain('证明材料“图片”（未能从消息平台取回）');
    expect((await zone.services.cases.task(taskId))!.status).toBe('done');
    const [line] = await zone.db.query(`SELECT detail FROM audit_log WHERE action = 'case.archived'`);
    const detail = JSON.parse(line.detail) as { key: string; sha256: string; missing: string[] };
    const kept = (await store.get(detail.key))!;
    expect(sha(kept)).toBe(detail.sha256);
    const zip = unzipSync(new Uint8Array(kept));
    const manifest = JSON.parse(Buffer.from(zip['manifest.json']).toString('utf8'));
    expect(manifest.missing).toEqual(detail.missing);
    expect(zip['03-材料/证明材料/01-现场照片.png']).toEqual(new Uint8Array(samplePng().bytes));
  });

  it('is refused to someone the task is not for, and nothing is produced', async () => {
    await expect(zone.services.archives.completeTask(taskId, await zone.person('P012'), '已归档。', 'test')).rejects.toThrow('这项待办不是分派给您的');
    expect(await zone.db.query(`SELECT id FROM audit_log WHERE action = 'case.archived'`)).toEqual([]);
  });
});
