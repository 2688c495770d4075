import { createHash } from 'node:crypto';
import type { Zippable } from 'fflate';
import { loadFflate } from '../rareModules';
import type { DataSource } from 'typeorm';
import type { CaseRepository } from '../domain/workflow/caseRepository';
import { historyOf, type NameOf } from '../domain/workflow/history';
import type { CaseRecord, WorkflowDefinition } from '../domain/workflow/types';
import type { CaseFiles } from '../files/caseFiles';
import type { ReceivedFiles } from '../files/receivedFiles';
import { displayName, safeFileName } from '../files/receivedFile';
import { extensionOf } from '../files/mediaFetcher';
import { select } from '../storage/sql';
import { DOCUMENT_NAMES, renderCaseDocument, type CaseDocument, type FormFormat } from './render';

/**
 * 归档 (《容错细则》第六条（一）5：相关资料和会议纪要等进行存储归档，以备后续检查): one .zip per case with its
 * paper form (Word and PDF), its 批复 / 回复 and 呈报表 where it has them, every file sent with it,
 * the timeline and the audit extract, and manifest.json with the size and sha256 of every entry.
 * Made from the records each time it is asked for, so it can be produced again at any later check.
 */

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
  /** What the entry is: 审批表, 证明材料 “现场照片.png” (received_files 12)… */
  source: string;
}

export interface ArchiveManifest {
  format: 'dandang-archive/1';
  case: { number: string; kind: string; status: string };
  producedAt: string;
  producedBy: string;
  entries: ManifestEntry[];
  /** What the package should hold and does not, in words; empty when it is complete. */
  missing: string[];
}

export interface ArchivePackage {
  fileName: string;
  zip: Buffer;
  manifest: ArchiveManifest;
  /** Files of the case still being fetched: the package is not final until they are in. */
  pending: string[];
}

export interface ArchiveDeps {
  db: DataSource;
  cases: CaseRepository;
  caseFiles: CaseFiles;
  files: ReceivedFiles;
  definition(kind: CaseRecord['kind']): WorkflowDefinition;
  nameOf: NameOf;
  env?: NodeJS.ProcessEnv;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function buildArchive(deps: ArchiveDeps, c: CaseRecord, producedBy: string, producedAt: Date): Promise<ArchivePackage> {
  const entries = new Map<string, { bytes: Buffer; source: string }>();
  const missing: string[] = [];
  const pending: string[] = [];
  const add = (path: string, bytes: Buffer, source: string) => entries.set(path, { bytes, source });

  const documents: { document: CaseDocument; folder: string; wanted: boolean }[] = [
    { document: 'form', folder: '01-审批表', wanted: true },
    { document: 'reply', folder: '02-批复回复', wanted: c.status === 'granted' || c.status === 'rejected' },
    { document: 'submission', folder: '02-批复回复', wanted: c.path === 'city' },
  ];
  for (const { document, folder, wanted } of documents) {
    const name = DOCUMENT_NAMES[document][c.kind];
    if (!name) continue;
    for (const format of ['docx', 'pdf'] as FormFormat[]) {
      try {
        const doc = await renderCaseDocument(deps.db, c.id, document, format, deps.env);
        if (doc) add(`${folder}/${doc.fileName}`, doc.content, `${name}（${format === 'pdf' ? 'PDF' : 'Word'}）`);
        else if (wanted && format === 'docx') missing.push(`${name}（尚未作出）`);
      } catch (error) {
        // A PDF needs a CJK font on the server; the Word copy is still in the package.
        missing.push(`${name} PDF 版（${(error as Error).message.slice(0, 80)}）`);
      }
    }
  }

  const counters = new Map<string, number>();
  const attached = await deps.caseFiles.of(c);
  for (const { part, attachment, file } of attached) {
    const n = (counters.get(part) ?? 0) + 1;
    counters.set(part, n);
    const name = file ? displayName(file) : (attachment.fileName ?? '附件');
    const folder = part === '会议纪要' ? '04-会议纪要' : `03-材料/${part}`;
    const content = file && (await deps.files.content(file));
    if (file && content) {
      const stem = safeFileName(name.replace(/\.[A-Za-z0-9]{1,8}$/, ''));
      add(`${folder}/${String(n).padStart(2, '0')}-${stem}.${extensionOf(file.contentType ?? '', file.fileName)}`, content, `${part}“${name}”（received_files ${file.id}）`);
    } else if (file?.status === 'pending') {
      pending.push(`${part}“${name}”`);
    } else {
      const why = !file ? '发送于文件保存功能上线之前，只有消息编号' : file.status === 'rejected' ? '超过大小上限，未保存' : '未能从消息平台取回';
      missing.push(`${part}“${name}”（${why}）`);
    }
  }

  add('05-办理过程.txt', Buffer.from(await timeline(deps, c)), '办理过程（各环节意见与后续待办）');
  add('06-审计记录.json', Buffer.from(JSON.stringify(await auditExtract(deps.db, c, attached.flatMap((a) => (a.file ? [a.file.id] : []))), null, 2)), '审计记录摘录');

  const manifest: ArchiveManifest = {
    format: 'dandang-archive/1',
    case: { number: c.number, kind: c.kind, status: c.status },
    producedAt: producedAt.toISOString(),
    producedBy,
    entries: [...entries].map(([path, e]) => ({ path, bytes: e.bytes.length, sha256: sha256(e.bytes), source: e.source })),
    missing,
  };
  const zippable: Zippable = {};
  for (const [path, e] of entries) zippable[path] = [new Uint8Array(e.bytes), { mtime: producedAt }];
  zippable['manifest.json'] = [Buffer.from(JSON.stringify(manifest, null, 2)), { mtime: producedAt }];
  return { fileName: `${c.number}-归档.zip`, zip: Buffer.from((await loadFflate()).zipSync(zippable, { level: 6 })), manifest, pending };
}

async function timeline(deps: ArchiveDeps, c: CaseRecord): Promise<string> {
  const def = deps.definition(c.kind);
  const lines = [`${c.number} ${def.title}`, `申请人：${await deps.nameOf(c.applicantId)}`, `提交时间：${c.createdAt}`, `当前状态：${c.status}`, '', '【审批环节】'];
  for (const item of await historyOf(def, await deps.cases.stages(c.id), deps.nameOf)) {
    lines.push(`${item.at}  ${item.definition.title}（${item.signer}）：${item.text}`);
  }
  lines.push('', '【后续待办】');
  for (const task of await deps.cases.tasks(c.id)) {
    const state = task.status === 'done' ? `已办结 ${task.doneAt ?? ''}（${await deps.nameOf(task.doneBy)}）：${task.note ?? ''}` : task.status === 'cancelled' ? `已取消：${task.note ?? ''}` : '办理中';
    lines.push(`${task.title}：${state}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every audit line about the case and about its files (fetches, downloads). */
async function auditExtract(db: DataSource, c: CaseRecord, fileIds: number[]): Promise<Record<string, unknown>[]> {
  const subjects = [`case:${c.id}`, ...fileIds.map((id) => `file:${id}`)];
  return select<Record<string, unknown>>(
    db,
    `SELECT at, actor_id, channel, action, subject, detail FROM audit_log WHERE subject IN (${subjects.map(() => '?').join(', ')}) ORDER BY id`,
    subjects,
  );
}
