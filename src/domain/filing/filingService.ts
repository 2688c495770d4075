import { zoneDate, type Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Refusals } from '../audit';
import type { Person, Unit } from '../../roster/types';
import type { CaseRepository } from '../workflow/caseRepository';
import { statusLabel } from '../workflow/describe';
import type { CaseRecord, PathDefinition } from '../workflow/types';
import type { RouteStep, Workflow } from '../workflow/workflow';
import { filingWorkflow, IN_FORCE_NOTE } from './definition';

export interface FilingApplication {
  draftKey: string;
  filer: Person;
  unitId: number;
  title: string;
  reason: string;
  policyBasis: string;
  risks: string;
  discussedOn: string;
  minutes: unknown[];
  periodStart: string;
  periodEnd: string;
  /** The filer says the matter involves a 市管干部 (《容错细则》第二条第二款). */
  involvesCityCadre: boolean;
  /** 批准权限属市级层面的或重大事项 (第六条（二）3). */
  cityLevel: boolean;
  integrated: boolean;
  attachments: unknown[];
  channel: string;
}

export interface ResultReport {
  solvedProblem: boolean;
  harmOccurred: boolean;
  narrative: string;
  attachments: unknown[];
}

/** 改革创新风险备案 use cases (《容错细则》第六条（二）): file, look up, report results, evaluate. */
export class FilingService {
  constructor(
    private readonly deps: { workflow: Workflow; cases: CaseRepository; roster: RosterRepository; clock: Clock; refusals: Refusals },
  ) {}

  /** The units a person may file for: their own, and any unit they hold a role in. */
  async unitsFor(person: Person): Promise<Unit[]> {
    const ids = new Set([person.unitId, ...(await this.deps.roster.rolesOf(person.id)).map((r) => r.unitId)]);
    return (await this.deps.roster.units()).filter((u) => ids.has(u.id));
  }

  /** 第六条（二）3 with 第二条 applied: which path a filing takes, and why. */
  choosePath(f: Pick<FilingApplication, 'filer' | 'involvesCityCadre' | 'cityLevel' | 'integrated'>): { path: PathDefinition; reasons: string[] } {
    const byKey = (key: string) => filingWorkflow.paths.find((p) => p.key === key)!;
    const reasons: string[] = [];
    if (f.filer.cityManaged || f.involvesCityCadre) reasons.push('涉及市管干部（《容错细则》第二条第二款）');
    if (f.cityLevel) reasons.push('批准权限属市级层面或属重大事项');
    if (reasons.length > 0) return { path: byKey('city'), reasons };
    if (f.integrated) return { path: byKey('integrated'), reasons: ['属“八个一体化”事项'] };
    return { path: byKey('ordinary'), reasons: [] };
  }

  async apply(f: FilingApplication): Promise<{ record: CaseRecord; route: RouteStep[]; why: string }> {
    const unit = (await this.unitsFor(f.filer)).find((u) => u.id === f.unitId);
    if (!unit) {
      const refusal = { actorId: f.filer.id, channel: f.channel, action: 'filing.apply.refused' as const, subject: `unit:${f.unitId}` };
      throw await this.deps.refusals.refuse(refusal, '只能为本人所在或任职的单位备案。');
    }
    if (f.periodEnd <= f.periodStart) throw new UserFacingError(`实施期限的结束日期（${f.periodEnd}）应晚于开始日期（${f.periodStart}），请修改。`);
    const { path, reasons } = this.choosePath(f);
    const record = await this.deps.workflow.submit('filing', {
      applicant: f.filer,
      draftKey: f.draftKey,
      unitId: unit.id,
      matterId: null,
      integrated: f.integrated,
      path: path.key,
      channel: f.channel,
      form: {
        applicantName: f.filer.name,
        unitName: unit.name,
        filedAt: this.deps.clock.now().toISOString(),
        title: f.title,
        reason: f.reason,
        policyBasis: f.policyBasis,
        risks: f.risks,
        discussedOn: f.discussedOn,
        minutes: f.minutes,
        periodStart: f.periodStart,
        periodEnd: f.periodEnd,
        pathReasons: reasons,
        attachments: f.attachments,
      },
    });
    const why = `本备案按“${path.title}”办理${reasons.length > 0 ? `（${reasons.join('；')}）` : ''}。${path.explain}`;
    return { record, route: await this.deps.workflow.route(record), why };
  }

  inForce(c: CaseRecord, today = zoneDate(this.deps.clock.now())): boolean {
    return c.kind === 'filing' && c.status === 'granted' && String(c.form.periodStart) <= today && today <= String(c.form.periodEnd);
  }

  /** Approved filings of a unit and the units above it: what a 容错 request may cite. */
  async citableFor(unitId: number): Promise<CaseRecord[]> {
    const chain = new Set((await this.deps.roster.unitChain(unitId)).map((u) => u.id));
    return (await this.deps.cases.list({ kind: 'filing' })).filter((c) => c.status === 'granted' && chain.has(c.unitId));
  }

  /**
   * What anyone looking into a unit (a 纪工委 member with a 信访 complaint) must see: its filings,
   * and for those in force the policy line that investigation is normally deferred.
   */
  async lookup(unitName: string): Promise<string> {
    const units = (await this.deps.roster.units()).filter((u) => u.name.includes(unitName.trim()));
    if (units.length === 0) throw new UserFacingError(`名册中没有找到“${unitName}”这个单位。`);
    const wanted = new Set<number>();
    for (const u of units) for (const id of await this.subtree(u.id)) wanted.add(id);
    const filings = (await this.deps.cases.list({ kind: 'filing' })).filter((c) => wanted.has(c.unitId));
    if (filings.length === 0) return `${units.map((u) => u.name).join('、')}：没有改革创新风险备案记录。`;
    return filings
      .map((c) => {
        const period = `${String(c.form.periodStart)} 至 ${String(c.form.periodEnd)}`;
        const state = this.inForce(c) ? `【备案有效期内】${IN_FORCE_NOTE}` : `状态：${c.status === 'granted' ? '已备案（不在实施期内）' : statusLabel(filingWorkflow, c)}`;
        return `${c.number} ${String(c.form.unitName)}：${String(c.form.title)}（实施期限 ${period}）\n${state}`;
      })
      .join('\n\n');
  }

  async reportResult(taskId: number, actor: Person, report: ResultReport, channel: string): Promise<string> {
    const note = `${report.solvedProblem ? '解决了实际问题' : '未解决实际问题'}；${report.harmOccurred ? '有危害结果发生' : '无危害结果发生'}。${report.narrative}`;
    return this.deps.workflow.completeTask(taskId, actor, note, channel, async (tx, c) => {
      await this.deps.cases.setFields(tx, c.id, { form: JSON.stringify({ ...c.form, resultReport: { ...report, at: this.deps.clock.now().toISOString() } }) });
      await this.deps.workflow.addTask(tx, c, 'evaluation');
    });
  }

  async evaluate(taskId: number, actor: Person, rating: string, comment: string, channel: string): Promise<string> {
    return this.deps.workflow.completeTask(taskId, actor, `${rating}：${comment}`, channel, async (tx, c) => {
      await this.deps.cases.setFields(tx, c.id, { form: JSON.stringify({ ...c.form, evaluation: { rating, comment, by: actor.id } }) });
    });
  }

  private async subtree(unitId: number): Promise<number[]> {
    const units = await this.deps.roster.units();
    const ids = [unitId];
    for (let i = 0; i < ids.length; i++) for (const u of units) if (u.parentId === ids[i]) ids.push(u.id);
    return ids;
  }
}
