import type { CaseRecord, WorkflowDefinition } from '../workflow/types';
import { CARVE_OUTS, causeLabel, causeText, type CarveOut, type CauseArticle, type Way } from './policy';
import { handlingOf, PRESCRIBED_WAY } from './triggerRecords';

/** 建议上级调整 or 予以调整: who adjusts, by 干部管理权限. */
export type Authority = 'suggest' | 'adjust';
export const AUTHORITY_WORDS: Record<Authority, string> = { suggest: '建议上级调整', adjust: '予以调整' };

/** 提出建议, as the case keeps it for the 组织决定. */
export interface Proposal {
  way: Way;
  authority: Authority;
}

/** 组织决定 to adjust, as the case keeps it: what 第十三条, 第十四条 and 第十五条 turn on. */
export interface Decision {
  way: Way;
  effectiveOn: string;
  /** 决定机关、会议或文号, as 组织人事部门 records them. */
  decidedBy: string;
  /** 经组织认定因不适宜担任现职而调整: the condition of 第十三条's periods. */
  unsuitable: boolean;
  /** 因个人原因（非身体原因）申请提前退休 (第十三条, last sentence). */
  earlyRetirement: boolean;
  /** The last day of 第十三条's period, when there is one. */
  influenceUntil: string | null;
}

/** cases.form of an adjustment. */
export interface AdjustmentForm {
  applicantName: string;
  unitName: string;
  post: string;
  article: CauseArticle;
  item: number | null;
  facts: string;
  triggerId: number | null;
  openedBy: number;
  openedAt: string;
  proposal?: Proposal;
  decision?: Decision;
}

/** The one place an adjustment's form is read as what it is. */
export const adjustmentForm = (c: Pick<CaseRecord, 'form'>): AdjustmentForm => c.form as unknown as AdjustmentForm;

/** The carve-out a concluded case was referred under (its verdict), if any. */
export const carveOutOf = (c: Pick<CaseRecord, 'outcome'>): CarveOut | undefined =>
  (Object.keys(CARVE_OUTS) as CarveOut[]).find((k) => k === c.outcome?.verdict);

const PROCEDURE = '《能上能下办法》第十二条：“实施组织调整一般按干部管理权限，按照中办《推进领导干部能上能下若干规定（试行）》明确的考察核实、提出建议、组织决定、谈话等程序实施”';
const RECORDED_BY = '由组织人事部门办理和登记（《能上能下办法》第十六条：“各级党组织承担主体责任，组织人事部门承担具体工作责任”）';
const CARVE_OUT_VERDICT = (k: CarveOut) => ({ key: k, label: `${CARVE_OUTS[k]}，按照有关规定办理（《能上能下办法》第五条）`, grants: false, ends: true });

const cadreOf = (c: CaseRecord) => ({ cadreName: adjustmentForm(c).applicantName });

/**
 * 组织调整 (《能上能下办法》第十二条): 考察核实 → 提出建议 → 组织决定 → 谈话, for a cadre named by a
 * 第八条 trigger or by 组织人事部门 under 第七、九、十、十一条. 考察核实 may end the case (nothing to
 * adjust, or a matter 第五条 sends to other rules); so may a 组织决定 not to adjust. The 组织决定's
 * consequences (第十三、十四、十五条) are AdjustmentService's, run in the deciding transaction.
 */
export const adjustmentWorkflow: WorkflowDefinition = {
  kind: 'adjustment',
  title: '组织调整',
  numberPrefix: 'TZ',
  withdrawable: false,
  applicant: { word: '干部', told: false },
  readers: ['personnelOfficer', 'partyAffairsAdmin'],
  stages: [
    {
      key: 'inspection',
      kind: 'finding',
      title: '考察核实',
      role: 'personnelOfficer',
      basis: `${PROCEDURE}；${RECORDED_BY}`,
      dialogue: 'adjustmentInspection',
      label: '填写考察核实',
      verdicts: ['confirmed', 'unfounded', 'health', 'accountability', 'discipline'],
      prefill: cadreOf,
    },
    {
      key: 'proposal',
      kind: 'record',
      title: '提出建议',
      role: 'personnelOfficer',
      basis: `${PROCEDURE}；${RECORDED_BY}`,
      dialogue: 'adjustmentProposal',
      label: '填写提出建议',
      prefill: (c) => {
        const { article, item } = adjustmentForm(c);
        return { ...cadreOf(c), ...(article === 8 && item && PRESCRIBED_WAY[item] ? { prescribed: handlingOf(item) } : {}) };
      },
    },
    {
      key: 'decision',
      kind: 'finding',
      title: '组织决定',
      role: 'personnelOfficer',
      basis: `${PROCEDURE}；决定按干部管理权限作出，${RECORDED_BY}`,
      dialogue: 'adjustmentDecision',
      label: '填写组织决定',
      verdicts: ['adjust', 'none'],
      prefill: (c) => {
        const proposal = adjustmentForm(c).proposal;
        return { ...cadreOf(c), ...(proposal ? { proposedWay: proposal.way, authority: AUTHORITY_WORDS[proposal.authority] } : {}) };
      },
    },
    {
      key: 'talk',
      kind: 'record',
      title: '谈话',
      role: 'personnelOfficer',
      basis: `${PROCEDURE}；${RECORDED_BY}`,
      dialogue: 'adjustmentTalk',
      label: '填写谈话',
      prefill: cadreOf,
    },
  ],
  paths: [
    {
      key: 'ordinary',
      title: '组织调整',
      stages: ['inspection', 'proposal', 'decision', 'talk'],
      explain: `依据${PROCEDURE}。`,
    },
  ],
  verdicts: [
    { key: 'confirmed', label: '情况属实', grants: true },
    { key: 'unfounded', label: '经核实不属于不适宜担任现职，不予调整', grants: false, ends: true },
    CARVE_OUT_VERDICT('health'),
    CARVE_OUT_VERDICT('accountability'),
    CARVE_OUT_VERDICT('discipline'),
    { key: 'adjust', label: '经组织决定予以调整', grants: true },
    { key: 'none', label: '经组织决定不予调整', grants: false, ends: true },
  ],
  statusLabels: { in_review: '办理中', blocked: '办理中（待补充名册）', granted: '已调整', rejected: '未调整' },
  summarize(c, cadreName) {
    const form = adjustmentForm(c);
    const d = form.decision;
    return [
      { label: '干部', value: `${cadreName}（${form.unitName} ${form.post}）` },
      { label: '事由', value: causeText(form.article, form.item) },
      { label: '事实和依据', value: form.facts },
      ...(form.proposal ? [{ label: '建议', value: `${AUTHORITY_WORDS[form.proposal.authority]}，${form.proposal.way}` }] : []),
      ...(d ? [{ label: '组织决定', value: `${d.way}，${d.effectiveOn} 生效（${d.decidedBy}）${d.influenceUntil ? `；影响期至 ${d.influenceUntil}` : ''}` }] : []),
    ];
  },
  headline(c, cadreName) {
    const form = adjustmentForm(c);
    return [
      { label: '干部', value: `${cadreName}（${form.unitName}）` },
      { label: '事由', value: `《能上能下办法》${causeLabel(form.article, form.item)}` },
      ...(form.proposal ? [{ label: '建议', value: `${AUTHORITY_WORDS[form.proposal.authority]}，${form.proposal.way}` }] : []),
    ];
  },
  onGranted: [],
};
