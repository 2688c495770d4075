import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import type { AuditLog } from '../domain/audit';
import type { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseRecord } from '../domain/workflow/types';
import type { Workflow } from '../domain/workflow/workflow';
import { UserFacingError } from '../errors';
import type { CaseFiles } from '../files/caseFiles';
import type { FileStore } from '../files/fileStore';
import type { ReceivedFiles } from '../files/receivedFiles';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Person } from '../roster/types';
import { buildArchive, type ArchivePackage } from './archive';

export interface ArchivesDeps {
  db: DataSource;
  cases: CaseRepository;
  caseFiles: CaseFiles;
  files: ReceivedFiles;
  store: FileStore;
  workflow: Workflow;
  roster: RosterRepository;
  audit: AuditLog;
  clock: Clock;
  env?: NodeJS.ProcessEnv;
}

/**
 * The 归档 task made real: closing it produces the case's package, keeps a copy in the file store
 * (archives/RC2026-0001/…zip, its sha256 in the audit line) and says what it lacks. The package can
 * be produced again from the records at any time (归档包 RC2026-0001).
 */
export class Archives {
  constructor(private readonly deps: ArchivesDeps) {}

  async produce(c: CaseRecord, producedBy: Person): Promise<ArchivePackage> {
    const nameOf = async (id: number | null | undefined) => (id === null || id === undefined ? '' : ((await this.deps.roster.person(id))?.name ?? ''));
    return buildArchive(
      { db: this.deps.db, cases: this.deps.cases, caseFiles: this.deps.caseFiles, files: this.deps.files, definition: (kind) => this.deps.workflow.definition(kind), nameOf, env: this.deps.env },
      c,
      producedBy.name,
      this.deps.clock.now(),
    );
  }

  /** 办结 of any follow-up task; an 归档 task checks and keeps the package first. */
  async completeTask(taskId: number, actor: Person, note: string, channel: string): Promise<string> {
    const task = await this.deps.cases.task(taskId);
    const c = task && (await this.deps.cases.get(task.caseId));
    // Anything else, or someone the task is not for (refused and audited there), goes the usual way.
    if (!task || !c || task.kind !== 'archive' || task.assigneeId !== actor.id || task.status !== 'open') {
      return this.deps.workflow.completeTask(taskId, actor, note, channel);
    }
    const pack = await this.produce(c, actor);
    if (pack.pending.length > 0) {
      throw new UserFacingError(`${c.number} 还有 ${pack.pending.length} 个文件正在从消息平台取回（${pack.pending.join('、')}），请几分钟后再办结归档。`);
    }
    const key = `archives/${c.number}/${pack.manifest.producedAt.replace(/[:.]/g, '-')}.zip`;
    await this.deps.store.put(key, pack.zip, 'application/zip');
    const sha256 = createHash('sha256').update(pack.zip).digest('hex');
    const done = await this.deps.workflow.completeTask(taskId, actor, note, channel, async (tx) => {
      await this.deps.audit.append(tx, {
        actorId: actor.id,
        channel,
        action: 'case.archived',
        subject: `case:${c.id}`,
        detail: { key, sha256, entries: pack.manifest.entries.length, missing: pack.manifest.missing },
      });
    });
    const lacking = pack.manifest.missing.length === 0 ? '材料齐全' : `缺少：${pack.manifest.missing.join('；')}`;
    return `${done}\n归档包已生成并保存（${pack.manifest.entries.length} 个文件，${lacking}）。纪工委、党群工作部可发送“归档包 ${c.number}”下载。`;
  }
}
