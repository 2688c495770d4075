import type { DataSource } from 'typeorm';
import { adjustmentForm, adjustmentWorkflow, type AdjustmentForm } from '../domain/adjustment/definition';
import { influencePeriod } from '../domain/adjustment/adjustmentView';
import { causeText, EARLY_RETIREMENT_NOTE } from '../domain/adjustment/policy';
import { statusLabel } from '../domain/workflow/describe';
import { entryLines, formSource, readCase, unitPath, type FormEntry } from './formData';
import { chineseDate, lines, signature, type FormLayout, type FormLine } from './formLayout';

/**
 * 组织调整登记表: one adjustment (《能上能下办法》第十二条) on paper, for 组织人事部门's file. The
 * policy has no form for it; the rows are the four steps of 第十二条 as the bot records them.
 */
export interface AdjustmentRecordData {
  caseNumber: string;
  statusLabel: string;
  cadre: string;
  unitName: string;
  form: AdjustmentForm;
  /** 第十三条's period, when the decision has one. */
  influence: string | null;
  rows: Map<string, FormEntry>;
}

export async function loadAdjustmentRecord(db: DataSource, caseId: number): Promise<AdjustmentRecordData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  if (!c || c.kind !== 'adjustment') return undefined;
  const { rows } = await readCase(adjustmentWorkflow, c, await source.cases.stages(c.id), source);
  const form = adjustmentForm(c);
  return { caseNumber: c.number, statusLabel: statusLabel(adjustmentWorkflow, c), cadre: form.applicantName, unitName: unitPath(source.units, c.unitId), form, influence: influencePeriod(c), rows };
}

/** Where the case stands, and what the 组织决定 brings with it under 第十三条. */
function notes(d: AdjustmentRecordData): FormLine[] {
  return [
    { text: `当前状态：${d.statusLabel}。依据《能上能下办法》第十二条：考察核实、提出建议、组织决定、谈话。` },
    ...(d.influence ? [{ text: `${d.influence}。` }] : []),
    ...(d.form.decision?.earlyRetirement ? [{ text: EARLY_RETIREMENT_NOTE }] : []),
  ];
}

export function adjustmentLayout(d: AdjustmentRecordData): FormLayout {
  const row = (key: string, label: string[]) => {
    const e = d.rows.get(key) ?? null;
    return { label, body: e ? entryLines(adjustmentWorkflow, e) : [], sign: [signature(e, '登记人：')], minHeight: 70 };
  };
  const cause: FormLine[] = [{ text: causeText(d.form.article, d.form.item), bold: true }, ...lines(d.form.facts)];
  return {
    annex: '',
    title: '临港开发区组织调整登记表',
    numberLine: `编号：${d.caseNumber}`,
    head: [
      { label: '干部', value: d.cadre },
      { label: '立案时间', value: chineseDate(d.form.openedAt) },
    ],
    rows: [
      { label: ['单位职务'], body: [{ text: `${d.unitName}\u3000${d.form.post}` }], sign: [], minHeight: 30 },
      { label: ['事由和', '依\u3000据'], body: cause, sign: [], minHeight: 90 },
      row('inspection', ['考察核实']),
      row('proposal', ['提出建议']),
      row('decision', ['组织决定']),
      row('talk', ['谈\u3000话']),
      { label: ['备\u3000注'], body: notes(d), sign: [], minHeight: 40 },
    ],
    footer: '本表由组织人事部门存档。',
    documentTitle: `临港开发区组织调整登记表 ${d.caseNumber}`,
    subject: '《能上能下办法》第十二条',
  };
}
