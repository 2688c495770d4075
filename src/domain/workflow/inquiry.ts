import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { CaseRepository } from './caseRepository';
import { caseView } from './caseView';
import { taskLine } from './deadlines';
import { concludingOpinion, conclusionText, outcomeDetail, statusLabel } from './describe';
import { applicantFollows, isExternal } from './kinds';
import type { CaseRecord } from './types';
import type { Withdrawal, Workflow } from './workflow';

/** What cases contribute to 我的申请, 我的待办 and a case's 进度 (timeline). */
export class CaseInquiry {
  constructor(
    private readonly cases: CaseRepository,
    private readonly workflow: Workflow,
    private readonly roster: RosterRepository,
    private readonly now: () => Date,
  ) {}

  async mine(person: Person): Promise<string[]> {
    const lines: string[] = [];
    for (const c of await this.cases.byApplicant(person.id)) {
      const def = this.workflow.definition(c.kind);
      // A cadre under 考察核实 does not follow the case; they hear the decision at its 谈话.
      if (!applicantFollows(def)) continue;
      const state = c.status === 'returned' ? '待您补充材料' : statusLabel(def, c);
      const waiting = c.status === 'in_review' ? await this.waitingOn(c) : '';
      lines.push(`${c.number} ${def.title} · ${state}${waiting}。发送“进度 ${c.number}”查看详情`);
    }
    return lines;
  }

  async todo(person: Person): Promise<string[]> {
    const lines: string[] = [];
    for (const stage of await this.cases.pendingStagesOf(person.id)) {
      const c = (await this.cases.get(stage.caseId))!;
      const applicant = await this.roster.person(c.applicantId);
      const days = Math.floor((this.now().getTime() - Date.parse(stage.openedAt)) / 86_400_000);
      const stageDef = this.workflow.stageDefinition(c, stage);
      const def = this.workflow.definition(c.kind);
      lines.push(
        `${c.number} ${def.title}：待您办理“${stageDef.title}”（${def.applicant?.word ?? '申请人'} ${applicant?.name ?? ''}，已等待 ${days} 天；请在卡片上操作）`,
      );
    }
    for (const task of await this.cases.openTasksOf(person.id)) {
      const c = (await this.cases.get(task.caseId))!;
      const atPeriodEnd = this.workflow.taskDefinition(c, task.kind)?.dueAtPeriodEnd ?? false;
      lines.push(`${c.number} 待办 #${task.id}：${taskLine(task.title, task.dueOn, atPeriodEnd)}；办结后发送“办结 ${task.id}”`);
    }
    return lines;
  }

  /** The timeline of one case: its path, every stage with who recorded what and when, and how it ended. */
  async timeline(c: CaseRecord): Promise<string> {
    const def = this.workflow.definition(c.kind);
    const nameOf = async (id: number | null | undefined) => (id ? ((await this.roster.person(id))?.name ?? '') : '');
    const view = await caseView(def, this.cases, c, nameOf);
    const lines = [`${c.number} ${def.title} · ${view.status}`, `提交：${c.createdAt.slice(0, 10)}；办理路径：${view.path.title}`];
    const rows = [
      ...view.history.map((h) => ({ seq: h.stage.seq, line: `${h.definition.title} · ${h.signer} · ${h.at.slice(0, 10)}\n  ${h.text}` })),
      ...view.open.map(({ stage, definition, assignee }) => {
        const state = stage.status === 'pending' ? (isExternal(definition) ? '等待答复' : '等待办理') : stage.status === 'blocked' ? '名册缺少审批人' : '已撤回';
        return { seq: stage.seq, line: `${definition.title}：${assignee || '（未分派）'} ${state}（${stage.openedAt.slice(0, 10)} 起）` };
      }),
    ];
    lines.push(...rows.sort((a, b) => a.seq - b.seq).map((r) => r.line));
    if (c.outcome) lines.push(`结论：${view.conclusion}`, ...outcomeDetail(def, c.outcome, concludingOpinion(view.history.map((h) => h.stage))));
    const withdrawal = c.form.withdrawal as Withdrawal | undefined;
    if (withdrawal) lines.push(`撤回：${withdrawal.at.slice(0, 10)} 申请人${await nameOf(withdrawal.by)}撤回，理由：${withdrawal.reason}`);
    const { reply } = view;
    if (reply) lines.push(`${reply.issuer === 'city' ? '市纪委监委答复' : reply.title}：${reply.number}（${reply.issuedOn}）${conclusionText(def, reply)}`);
    const tasks = await this.cases.tasks(c.id);
    if (tasks.length > 0) lines.push(`后续工作：已办结 ${tasks.filter((t) => t.status === 'done').length}/${tasks.filter((t) => t.status !== 'cancelled').length}`);
    if (c.reportedOn) lines.push(`已报备市纪委监委：${c.reportedOn}`);
    if (c.revocation) {
      const handled = c.revocation.handling;
      lines.push(`撤销：${c.revocation.at.slice(0, 10)} ${await nameOf(c.revocation.by)}依据《容错细则》${c.revocation.reason}，重新启动问责。${c.revocation.description}`);
      lines.push(handled ? `严肃处理：${handled.result}（${handled.decidedOn}${handled.documentNumber ? `，${handled.documentNumber}` : ''}）` : '严肃处理：尚未登记结果');
    }
    return lines.join('\n');
  }

  private async waitingOn(c: CaseRecord): Promise<string> {
    const stage = (await this.cases.stages(c.id)).find((s) => s.status === 'pending');
    if (!stage) return '';
    const stageDef = this.workflow.stageDefinition(c, stage);
    if (isExternal(stageDef)) return '，已呈报市纪委监委，等待答复';
    const assignee = stage.assigneeId ? await this.roster.person(stage.assigneeId) : undefined;
    return `，当前环节：${stageDef.title}（${assignee?.name ?? ''}）`;
  }
}
