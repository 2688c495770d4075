import type { Clock } from '../clock';
import type { Action, ActionResult } from '../conversation/engine';
import { UserFacingError } from '../errors';
import { OFFICE_ROLES } from '../files/caseFiles';
import { FILE_LINK_TTL_MS, FileLinks } from '../files/fileLinks';
import { displayName, sizeText } from '../files/receivedFile';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import type { Turn } from './turn';

const LINK_MINUTES = Math.round(FILE_LINK_TTL_MS / 60_000);
const STATUS_WORDS = { pending: '正在保存', expired: '未能保存', rejected: '超过大小上限，未保存' } as const;
const clockTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * 附件 RC2026-0001: the files of a case (name, size) with a download link each, for those who may
 * read the case; 归档包 RC2026-0001: its 归档 package, for the 纪工委 and 党群工作部. Refusals are
 * said and audited (file.refused); downloads are audited when a link is opened.
 */
export function fileActions(services: Services, deps: { state: StateStore; clock: Clock; publicBaseUrl: string }): Action[] {
  const links = new FileLinks(deps.state, deps.clock, deps.publicBaseUrl);
  const caseOf = async (number: string) => {
    const c = await services.cases.byNumber(number.toUpperCase());
    if (!c) throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的申请或备案。`);
    return c;
  };
  const refuse = (turn: Turn, caseId: number, what: string, message: string) =>
    services.refusals.refuse({ actorId: turn.person.id, channel: turn.event.channel, action: 'file.refused', subject: `case:${caseId}`, detail: { what } }, message);
  const until = (at: Date) => `链接 ${LINK_MINUTES} 分钟内有效（${clockTime.format(at)} 前），请勿转发。`;

  return [
    {
      pattern: /^(?:附件|查看附件|材料)\s*([A-Za-z]{2}\d{4}-\d{1,6})$/,
      async run(turn, [number]): Promise<ActionResult> {
        const c = await caseOf(number);
        if (!(await services.caseFiles.mayRead(turn.person, c))) {
          throw await refuse(turn, c.id, 'attachments', `您无权查看 ${c.number} 的附件：仅申请人、审批人和纪工委、党群工作部可以查看。`);
        }
        const attached = await services.caseFiles.of(c);
        if (attached.length === 0) return { send: [{ kind: 'text', text: `${c.number} 没有附件。` }] };
        const lines = [`**${c.number} 的附件（${attached.length} 个）**`];
        let expiresAt: Date | undefined;
        for (const [i, { part, attachment, file }] of attached.entries()) {
          const name = file ? displayName(file) : (attachment.fileName ?? '附件');
          if (file?.status === 'stored') {
            const link = await links.issue({ kind: 'file', caseId: c.id, fileId: file.id, personId: turn.person.id, channel: turn.event.channel });
            expiresAt = link.expiresAt;
            lines.push(`${i + 1}. ${part}：[${name}](${link.url})（${sizeText(file.sizeBytes ?? 0)}）`);
          } else {
            lines.push(`${i + 1}. ${part}：${name}（${file ? STATUS_WORDS[file.status as keyof typeof STATUS_WORDS] : '未保存'}）`);
          }
        }
        if (expiresAt) lines.push(until(expiresAt));
        return { send: [{ kind: 'markdown', markdown: lines.join('\n') }] };
      },
    },
    {
      pattern: /^(?:归档包|下载归档)\s*([A-Za-z]{2}\d{4}-\d{1,6})$/,
      async run(turn, [number]): Promise<ActionResult> {
        const c = await caseOf(number);
        if (!(await services.roster.holdsAnyRole(turn.person.id, ...OFFICE_ROLES))) {
          throw await refuse(turn, c.id, 'archive', '归档包仅限纪工委、党群工作部下载。');
        }
        const link = await links.issue({ kind: 'archive', caseId: c.id, personId: turn.person.id, channel: turn.event.channel });
        return { send: [{ kind: 'markdown', markdown: [`**${c.number} 归档包**`, `[${c.number}-归档.zip](${link.url})`, '打开链接时按当前记录生成，内含 manifest.json（每个文件的 sha256）。', until(link.expiresAt)].join('\n') }] };
      },
    },
  ];
}
