import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { CaseRepository } from './caseRepository';
import { DECISION_WORDS } from './cards';
import type { CaseRecord, CaseStatus } from './types';
import type { Workflow } from './workflow';

const STATUS_WORDS: Record<CaseStatus, string> = {
  in_review: '审批中',
  returned: '待您补充材料',
  blocked: '等待党群工作部补充名册',
  withdrawn: '已撤回',
  granted: '已获批准',
  rejected: '未获同意',
  revoked: '已撤销认定',
};

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
      const title = this.workflow.definition(c.kind).title;
      const waiting = c.status === 'in_review' ? await this.waitingOn(c) : '';
      lines.push(`${c.number} ${title} · ${STATUS_WORDS[c.status]}${waiting}（发送“进度 ${c.number}”查看详情）`);
    }
    return lines;
  }

  async todo(person: Person): Promise<string[]> {
    const lines: string[] = [];
    for (const stage of await this.cases.pendingStagesOf(person.id)) {
      const c = (await this.cases.get(stage.caseId))!;
      const applicant = await this.roster.person(c.applicantId);
      const days = Math.floor((this.now().getTime() - Date.parse(stage.openedAt)) / 86_400_000);
      lines.push(`${c.number} ${this.workflow.definition(c.kind).title}：待您填写“${this.workflow.stageDefinition(c, stage).title}”（申请人 ${applicant?.name ?? ''}，已等待 ${days} 天；请在审批卡片上操作）`);
    }
    for (const task of await this.cases.openTasksOf(person.id)) {
      const c = (await this.cases.get(task.caseId))!;
      lines.push(`${c.number} 待办 #${task.id}：${task.title}${task.dueOn ? `，截止 ${task.dueOn}` : ''}（办结后发送“办结 ${task.id}”）`);
    }
    return lines;
  }

  /** The timeline of one case: every stage with who decided what and when. */
  async timeline(c: CaseRecord): Promise<string> {
    const lines = [`${c.number} ${this.workflow.definition(c.kind).title} · ${STATUS_WORDS[c.status]}`, `提交：${c.createdAt.slice(0, 10)}`];
    for (const stage of await this.cases.stages(c.id)) {
      const title = this.workflow.stageDefinition(c, stage).title;
      const assignee = stage.assigneeId ? await this.roster.person(stage.assigneeId) : undefined;
      if (stage.decision) {
        lines.push(`${title}：${assignee?.name ?? ''} ${DECISION_WORDS[stage.decision]}（${stage.decidedAt!.slice(0, 10)}）意见：${stage.opinion ?? ''}`);
      } else {
        const state = stage.status === 'pending' ? '等待审批' : stage.status === 'blocked' ? '名册缺少审批人' : '已撤回';
        lines.push(`${title}：${assignee?.name ?? '（未分派）'} ${state}（${stage.openedAt.slice(0, 10)} 起）`);
      }
    }
    const tasks = await this.cases.tasks(c.id);
    if (tasks.length > 0) lines.push(`后续工作：已办结 ${tasks.filter((t) => t.status === 'done').length}/${tasks.length}`);
    if (c.reportedOn) lines.push(`已报备市纪委监委：${c.reportedOn}`);
    return lines.join('\n');
  }

  private async waitingOn(c: CaseRecord): Promise<string> {
    const stage = (await this.cases.stages(c.id)).find((s) => s.status === 'pending');
    if (!stage) return '';
    const assignee = stage.assigneeId ? await this.roster.person(stage.assigneeId) : undefined;
    return `，当前环节：${this.workflow.stageDefinition(c, stage).title}（${assignee?.name ?? ''}）`;
  }
}
