import type { DataSource } from 'typeorm';
import type { Turn } from './turn';
import { zoneDate, type Clock } from '../clock';
import type { Action, ActionResult } from '../conversation/engine';
import { AuditLog } from '../domain/audit';
import { unitPath } from '../documents/formData';
import { mayExportCaseDocument, mayExportLedger } from '../documents/exportAccess';
import { DocumentLinks, DOCUMENT_LINK_TTL_MS, type DocumentGrant } from '../documents/links';
import { resolvePdfFont } from '../documents/pdfFont';
import { DOCUMENT_NAMES, documentFileName, type CaseDocument } from '../documents/render';
import { NotAllowedError, UserFacingError } from '../errors';
import type { Unit } from '../roster/types';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';

export interface DocumentActionDeps {
  db: DataSource;
  state: StateStore;
  clock: Clock;
  /** PUBLIC_BASE_URL: the links point there. */
  publicBaseUrl: string;
  env?: NodeJS.ProcessEnv;
}

const LINK_MINUTES = Math.round(DOCUMENT_LINK_TTL_MS / 60_000);

const clockTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** The unit a person named: its full path (利港街道城建科), its own name if unique, its code, or a unique part of the path. */
function findUnit(units: Unit[], wanted: string): { unit: Unit; path: string } {
  const byId = new Map(units.map((u) => [u.id, u]));
  const path = (u: Unit) => unitPath(byId, u.id);
  const tries = [
    units.filter((u) => path(u) === wanted),
    units.filter((u) => u.name === wanted),
    units.filter((u) => u.code.toUpperCase() === wanted.toUpperCase()),
    units.filter((u) => path(u).includes(wanted)),
  ];
  const found = tries.find((t) => t.length > 0) ?? [];
  if (found.length === 0) throw new UserFacingError(`名册中没有找到“${wanted}”这个单位。`);
  if (found.length > 1) {
    const paths = found.map(path);
    throw new UserFacingError(`“${wanted}”对应多个单位：${paths.join('、')}。请写全称，如“导出台账 2026 ${paths[0]}”。`);
  }
  return { unit: found[0], path: path(found[0]) };
}

/** 导出批复 / 导出回复 / 导出呈报 name the document; plain 导出 is the form. */
const DOCUMENT_WORDS: Record<string, CaseDocument> = { '': 'form', 批复: 'reply', 回复: 'reply', 呈报: 'submission', 呈报表: 'submission' };

/**
 * 导出 RC2026-0001 [PDF], 导出批复 RC2026-0001, 导出呈报 RC2026-0001 and 导出台账 2026 [单位]: the bot
 * answers with a short-lived download link (GET /documents/:token) instead of sending the file. A
 * case's form is for its applicant, anyone assigned a stage of it, the 纪工委 and 党群工作部; its
 * 批复 / 回复 also for those it was sent to; a 呈报表 for the stages' holders and those offices; the
 * 台账 for the 纪工委, 党群工作部 and 组织人事部门 (《容错细则》第十一条). Refusals are said and audited
 * (document.refused); downloads are audited when the link is opened.
 */
export function documentActions(services: Services, deps: DocumentActionDeps): Action[] {
  const { cases, roster } = services;
  const links = new DocumentLinks(deps.state, deps.clock, deps.publicBaseUrl);
  const audit = new AuditLog(deps.clock);

  const refuse = async (turn: Turn, subject: string, detail: Record<string, unknown>, message: string): Promise<never> => {
    await audit.append(deps.db, { actorId: turn.person.id, channel: turn.event.channel, action: 'document.refused', subject, detail });
    throw new NotAllowedError(message);
  };

  const answer = async (grant: DocumentGrant, heading: string, fileName: string): Promise<ActionResult> => {
    const link = await links.issue(grant);
    const markdown = [
      `**${heading}**`,
      `[${fileName}](${link.url})`,
      `链接 ${LINK_MINUTES} 分钟内有效（${clockTime.format(link.expiresAt)} 前），请勿转发。`,
    ].join('\n');
    return { send: [{ kind: 'markdown', markdown }] };
  };

  return [
    {
      pattern: /^导出\s*(批复|回复|呈报表|呈报)?\s*([A-Za-z]{2}\d{4}-\d{1,6})(?:\s*(word|docx|pdf))?$/i,
      async run(turn, [word, number, wanted]) {
        const c = await cases.byNumber(number.toUpperCase());
        if (!c) throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的申请或备案。`);
        const document = DOCUMENT_WORDS[word];
        const name = DOCUMENT_NAMES[document][c.kind];
        const format = wanted.toLowerCase() === 'pdf' ? 'pdf' : 'docx';
        const reply = document === 'reply' ? await cases.reply(c.id) : undefined;
        if (!name || (document === 'reply' && !reply)) throw new UserFacingError(`${c.number} 尚未办结，还没有批复或回复。`);
        if (document === 'submission' && c.path !== 'city') throw new UserFacingError(`${c.number} 不是呈报市纪委监委的事项，没有呈报表。`);
        if (!(await mayExportCaseDocument(services, turn.person, c, document))) {
          await refuse(
            turn,
            `case:${c.id}`,
            { number: c.number, format, document, reason: 'not the applicant, an approver, a recipient, 纪工委 or 党群工作部' },
            `您无权导出 ${c.number} 的${name}：仅申请人${document === 'reply' ? '、收文的党组织' : ''}、审批人和纪工委、党群工作部可以导出。`,
          );
        }
        if (format === 'pdf') {
          try {
            await resolvePdfFont(deps.env);
          } catch {
            throw new UserFacingError('服务器暂不能生成 PDF（未安装中文字体），请发送“导出 编号”导出 Word 版，或联系党群工作部。');
          }
        }
        const fileName = documentFileName(c.kind, document, c.number, format);
        return answer(
          { kind: 'form', caseId: c.id, document, format, personId: turn.person.id, channel: turn.event.channel },
          `${c.number} ${name}（${format === 'pdf' ? 'PDF' : 'Word'}）`,
          fileName,
        );
      },
    },
    {
      pattern: /^导出台账\s*(?:(\d{4})年?)?\s*(.*)$/,
      async run(turn, [yearText, unitName]) {
        const year = yearText || zoneDate(deps.clock.now()).slice(0, 4);
        if (!(await mayExportLedger(roster, turn.person))) {
          await refuse(turn, 'ledger', { year, unit: unitName || null, reason: 'not 纪工委, 党群工作部 or 组织人事部门' }, '台账仅限纪工委、党群工作部和组织人事部门导出。');
        }
        const unit = unitName.trim() ? findUnit(await roster.units(), unitName.trim()) : undefined;
        const fileName = `容错免责台账-${year}年${unit ? `-${unit.path}` : ''}.xlsx`;
        return answer(
          {
            kind: 'ledger',
            filter: { from: `${year}-01-01`, to: `${year}-12-31`, unitId: unit?.unit.id },
            fileName,
            format: 'xlsx',
            personId: turn.person.id,
            channel: turn.event.channel,
          },
          `${year}年容错免责和改革创新风险备案台账${unit ? `（${unit.path}，含下属单位）` : ''}`,
          fileName,
        );
      },
    },
  ];
}
