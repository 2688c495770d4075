import { select, type Executor } from '../../storage/sql';
import type { StageKey } from './definition';
import type { CarveOut, CauseArticle, Way } from './policy';

export type CaseStage = StageKey | 'done';
/** open; referred (第五条: handled under other rules); dropped (not adjusted); closed (adjusted, procedure done). */
export type CaseStatus = 'open' | 'referred' | 'dropped' | 'closed';
/** 建议上级调整 or 予以调整. */
export type Authority = 'suggest' | 'adjust';
export const AUTHORITY_WORDS: Record<Authority, string> = { suggest: '建议上级调整', adjust: '予以调整' };

export interface AdjustmentCase {
  id: number;
  number: string;
  personId: number;
  unitId: number;
  article: CauseArticle;
  item: number | null;
  triggerId: number | null;
  facts: string;
  carveOut: CarveOut | null;
  stage: CaseStage;
  status: CaseStatus;
  way: Way | null;
  authority: Authority | null;
  unsuitable: boolean | null;
  earlyRetirement: boolean;
  effectiveOn: string | null;
  influenceUntil: string | null;
  openedBy: number;
  openedAt: string;
}

export interface InspectionData {
  finding: 'confirmed' | 'unfounded' | 'carve-out';
  carveOut?: CarveOut;
  summary: string;
}
export interface ProposalData {
  way: Way;
  authority: Authority;
  opinion: string;
}
export interface DecisionData {
  outcome: 'adjust' | 'none';
  way?: Way;
  effectiveOn?: string;
  /** 决定机关、会议或文号, as 组织人事部门 records them. */
  decidedBy: string;
  /** 经组织认定不适宜担任现职: the condition of 第十三条's periods. */
  unsuitable?: boolean;
  /** 因个人原因（非身体原因）申请提前退休 (第十三条, last sentence). */
  earlyRetirement?: boolean;
}
export interface TalkData {
  talkedOn: string;
  talkerId: number;
  talkerName: string;
  summary: string;
}
export interface StageData {
  inspection: InspectionData;
  proposal: ProposalData;
  decision: DecisionData;
  talk: TalkData;
}

export interface StageEntry {
  stage: StageKey;
  data: StageData[StageKey];
  doneBy: number;
  doneByName: string;
  doneAt: string;
}

interface CaseRow {
  id: number;
  number: string;
  person_id: number;
  unit_id: number;
  article: number;
  item: number | null;
  trigger_id: number | null;
  facts: string;
  carve_out: CarveOut | null;
  stage: CaseStage;
  status: CaseStatus;
  way: Way | null;
  authority: Authority | null;
  unsuitable: number | null;
  early_retirement: number;
  effective_on: string | null;
  influence_until: string | null;
  opened_by: number;
  opened_at: string;
}

const toCase = (r: CaseRow): AdjustmentCase => ({
  id: Number(r.id),
  number: r.number,
  personId: Number(r.person_id),
  unitId: Number(r.unit_id),
  article: Number(r.article) as CauseArticle,
  item: r.item === null ? null : Number(r.item),
  triggerId: r.trigger_id === null ? null : Number(r.trigger_id),
  facts: r.facts,
  carveOut: r.carve_out,
  stage: r.stage,
  status: r.status,
  way: r.way,
  authority: r.authority,
  unsuitable: r.unsuitable === null ? null : Number(r.unsuitable) === 1,
  earlyRetirement: Number(r.early_retirement) === 1,
  effectiveOn: r.effective_on,
  influenceUntil: r.influence_until,
  openedBy: Number(r.opened_by),
  openedAt: r.opened_at,
});

/** Reads adjustment cases and their stages as plain objects. */
export class CaseRecords {
  constructor(private readonly db: Executor) {}

  async get(id: number, ex: Executor = this.db): Promise<AdjustmentCase | undefined> {
    const [row] = await select<CaseRow>(ex, 'SELECT * FROM adjustment_cases WHERE id = ?', [id]);
    return row && toCase(row);
  }

  async byNumber(number: string): Promise<AdjustmentCase | undefined> {
    const [row] = await select<CaseRow>(this.db, 'SELECT * FROM adjustment_cases WHERE number = ?', [number.toUpperCase()]);
    return row && toCase(row);
  }

  async byDraft(draftKey: string, ex: Executor = this.db): Promise<AdjustmentCase | undefined> {
    const [row] = await select<CaseRow>(ex, 'SELECT * FROM adjustment_cases WHERE draft_key = ?', [draftKey]);
    return row && toCase(row);
  }

  async ofPerson(personId: number): Promise<AdjustmentCase[]> {
    return (await select<CaseRow>(this.db, 'SELECT * FROM adjustment_cases WHERE person_id = ? ORDER BY id', [personId])).map(toCase);
  }

  async open(): Promise<AdjustmentCase[]> {
    return (await select<CaseRow>(this.db, `SELECT * FROM adjustment_cases WHERE status = 'open' ORDER BY id`)).map(toCase);
  }

  /** Cases opened in a year, or decided in it, or whose influence period runs into it. */
  async ofYear(year: number): Promise<AdjustmentCase[]> {
    const rows = await select<CaseRow>(
      this.db,
      `SELECT * FROM adjustment_cases WHERE opened_at LIKE ? OR effective_on LIKE ? OR (influence_until IS NOT NULL AND influence_until >= ? AND effective_on <= ?) ORDER BY id`,
      [`${year}-%`, `${year}-%`, `${year}-01-01`, `${year}-12-31`],
    );
    return rows.map(toCase);
  }

  async stages(caseId: number, ex: Executor = this.db): Promise<StageEntry[]> {
    const rows = await select<{ stage: StageKey; data: string; done_by: number; name: string; done_at: string }>(
      ex,
      'SELECT s.stage, s.data, s.done_by, p.name, s.done_at FROM adjustment_stages s JOIN people p ON p.id = s.done_by WHERE s.case_id = ? ORDER BY s.id',
      [caseId],
    );
    return rows.map((r) => ({ stage: r.stage, data: JSON.parse(r.data) as StageData[StageKey], doneBy: Number(r.done_by), doneByName: r.name, doneAt: r.done_at }));
  }

  async stageByDraft(draftKey: string, ex: Executor): Promise<{ caseId: number } | undefined> {
    const [row] = await select<{ case_id: number }>(ex, 'SELECT case_id FROM adjustment_stages WHERE draft_key = ?', [draftKey]);
    return row && { caseId: Number(row.case_id) };
  }
}
