import type ExcelJS from 'exceljs';
import { clearanceWorkflow } from '../domain/clearance/definition';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { outcomeLine, statusLabel } from '../domain/workflow/describe';
import type { CaseRecord, StageRecord } from '../domain/workflow/types';
import type { ApprovalFormData } from './approvalForm';
import { asString, readCase, unitPath, type FormSource } from './formData';
import { excelDate, listRow, listSheet } from './sheet';

/**
 * The two 台账 sheets about people rather than requests: the cadres given 容错, for the
 * 组织人事部门 to weigh in 考核考察 and 选拔任用 (《容错细则》第十一条), and the 澄清正名 of 第九条.
 */

export const EXEMPTION_COLUMNS = ['姓名', '单位', '职务或性质', '申请编号', '批复或答复', '容错免责处理（《容错细则》第七条）', '状态'] as const;

export function exemptionSheet(wb: ExcelJS.Workbook, cases: ApprovalFormData[]): void {
  const sheet = listSheet(wb, '容错免责干部', '临港开发区给予容错免责的干部（《容错细则》第十一条：考核考察要客观评价，选拔任用要公正合理）', EXEMPTION_COLUMNS, [10, 22, 20, 14, 26, 60, 30]);
  for (const d of cases.filter((x) => x.granted.length > 0)) {
    const reply = d.reply ? `${d.reply.issuer === 'city' ? '市纪委监委答复' : d.reply.title} ${d.reply.number}（${d.reply.issuedOn}）` : '';
    const state = d.revocation ? `已撤销（${d.revocation.at.slice(0, 10)}，《容错细则》${d.revocation.reason}）` : '有效';
    listRow(
      sheet,
      [d.applicantName, d.unitName, `${d.post}（${d.nature}）`, d.caseNumber, reply, d.granted.map((i) => outcomeLine(toleranceWorkflow, i)).join('\n'), state],
      [1, 4, 7],
      [],
    );
  }
}

export const CLEARANCE_COLUMNS = ['编号', '干部', '单位', '启动时间', '举报内容', '查核结论', '本人意愿', '澄清范围和方式', '党（工）委主要负责人意见', '当前状态', '完成情况'] as const;

export async function clearanceSheet(wb: ExcelJS.Workbook, selected: { c: CaseRecord; stages: StageRecord[] }[], source: FormSource): Promise<void> {
  const sheet = listSheet(wb, '澄清正名', '临港开发区澄清正名台账（《容错细则》第九条）', CLEARANCE_COLUMNS, [14, 10, 22, 12, 36, 36, 36, 40, 30, 14, 40]);
  for (const { c, stages } of selected) {
    const { rows } = await readCase(clearanceWorkflow, c, stages, source);
    const line = (key: string) => {
      const row = rows.get(key);
      return row ? `${row.signer}：${'opinion' in row.entry ? row.entry.opinion : ''}` : '';
    };
    const proposal = rows.get('proposal')?.entry;
    const scope = proposal?.kind === 'finding' ? (proposal.details ?? []).map((d) => `${d.label}：${d.value}`).join('\n') : '';
    const cleared = c.form.cleared as Record<string, unknown> | undefined;
    listRow(
      sheet,
      [
        c.number,
        asString(c.form.applicantName),
        unitPath(source.units, c.unitId),
        excelDate(asString(c.form.openedAt) || c.createdAt),
        asString(c.form.accusation),
        asString(c.form.conclusion),
        line('wishes'),
        scope,
        line('approval'),
        statusLabel(clearanceWorkflow, c),
        cleared ? `${asString(cleared.clearedOn)} 在${asString(cleared.scope)}以${asString(cleared.manner)}澄清。${asString(cleared.note)}` : '',
      ],
      [1, 2, 4, 10],
      [4],
    );
  }
}
