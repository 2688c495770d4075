import type { Turn } from './turn';
import type { Action } from '../conversation/engine';
import type { Refusal } from '../domain/audit';
import { verdictOf, zoneConclusion } from '../domain/workflow/chain';
import { conclusionText } from '../domain/workflow/describe';
import { caseView } from '../domain/workflow/caseView';
import { stageDialogue } from '../domain/workflow/kinds';
import type { CaseRecord, StageRecord } from '../domain/workflow/types';
import { UserFacingError } from '../errors';
import type { Values } from '../conversation/dialogue';
import type { Person } from '../roster/types';
import type { Services } from '../services';

const CASE_NUMBER = '([A-Za-z]{2}\\d{4}-\\d{1,6})';

/**
 * The buttons on approval, receipt and task cards, and the typed commands that name a case
 * (撤回 RC2026-0001): each checks who is asking and either answers or starts a dialogue.
 */
export function workflowActions(services: Services): Action[] {
  const { workflow, cases, inquiry, roster, jointReview, filing, refusals, exemptions } = services;

  /** Says no, and writes it down: every refusal has its line in the audit log. */
  const refuse = async (turn: Turn, action: Refusal['action'], subject: string, message: string, detail?: Record<string, unknown>) =>
    refusals.refuse({ actorId: turn.person.id, channel: turn.event.channel, action, subject, detail }, message);

  const caseByNumber = async (number: string) => {
    const c = await cases.byNumber(number);
    if (!c) throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的申请。`);
    return c;
  };

  const caseById = async (id: string) => {
    const c = await cases.get(Number(id));
    if (!c) throw new UserFacingError('没有找到这项申请。');
    return c;
  };

  /** 撤回 asks for a reason and a confirmation first, once it is clear the case may be withdrawn. */
  const withdrawal = async (turn: Turn, caseId: number) => {
    const c = await workflow.checkWithdrawal(caseId, turn.person, turn.event.channel);
    return { start: { dialogue: 'caseWithdrawal', prefill: { caseId: c.id, caseNumber: c.number, caseTitle: workflow.definition(c.kind).title } } };
  };

  /** The timeline is for the applicant, its approvers, and the 纪工委 and 党群工作部. */
  /** The applicant, a stage's holder, the 纪工委 and 党群工作部; for a kind with readers of its own (an adjustment), its readers and holders only. */
  const mayFollow = async (turn: Turn, c: CaseRecord) => {
    const readers = workflow.definition(c.kind).readers;
    if (!readers && turn.person.id === c.applicantId) return true;
    if ((await cases.stages(c.id)).some((s) => s.assigneeId === turn.person.id)) return true;
    return roster.holdsAnyRole(turn.person.id, ...(readers ?? ['disciplineMember', 'partyAffairsAdmin']));
  };

  return [
    {
      prefix: 'wfs',
      async run(turn, [stageId, op]) {
        const start = await startStageDecision(services, turn.person, turn.event.channel, Number(stageId), op);
        return start ? { start } : { say: '这个按钮已失效。' };
      },
    },
    {
      prefix: 'wfc',
      async run(turn, [caseId, op]) {
        const c = await caseById(caseId);
        const channel = turn.event.channel;
        switch (op) {
          case 'withdraw':
            return withdrawal(turn, c.id);
          case 'remind':
            return { say: await workflow.remind(c.id, turn.person, channel) };
          case 'reroute':
            if (!(await roster.holdsAnyRole(turn.person.id, 'partyAffairsAdmin'))) throw await refuse(turn, 'reroute.refused', `case:${c.id}`, '只有党群工作部可以重新分派。');
            return { say: await workflow.reroute(c.id, turn.person, channel) };
          case 'supplement':
            if (c.applicantId !== turn.person.id) throw await refuse(turn, 'supplement.refused', `case:${c.id}`, '只有申请人本人可以补充材料。');
            if (c.status !== 'returned') throw new UserFacingError(`${c.number} 目前不需要补充材料。`);
            return { start: { dialogue: 'caseSupplement', prefill: { caseId: c.id, caseNumber: c.number } } };
          default:
            return { say: '这个按钮已失效。' };
        }
      },
    },
    {
      prefix: 'wfr',
      async run(turn, [reviewId]) {
        const { caseNumber } = await jointReview.checkReviewer(Number(reviewId), turn.person, turn.event.channel);
        return { start: { dialogue: 'reviewOpinion', prefill: { reviewId: Number(reviewId), caseNumber } } };
      },
    },
    {
      pattern: /^(?:查询备案|备案查询)\s*(\S+)$/,
      async run(turn, [unitName]) {
        const mayLook = await roster.holdsAnyRole(turn.person.id, 'disciplineMember', 'partyAffairsAdmin', 'partyCommitteeHead', 'zonePartyHead');
        if (!mayLook) throw await refuse(turn, 'filing.lookup.refused', 'filings', '备案查询仅限纪（工）委、党群工作部和党（工）委负责同志使用。', { unit: unitName });
        return { say: await filing.lookup(unitName) };
      },
    },
    {
      pattern: /^容错记录\s*(\S*)$/,
      async run(turn, [name]) {
        return { say: await exemptions.lookup(turn.person, name, turn.event.channel) };
      },
    },
    {
      pattern: new RegExp(`^撤回\\s*${CASE_NUMBER}$`),
      async run(turn, [number]) {
        return withdrawal(turn, (await caseByNumber(number)).id);
      },
    },
    {
      pattern: new RegExp(`^催办\\s*${CASE_NUMBER}$`),
      async run(turn, [number]) {
        return { say: await workflow.remind((await caseByNumber(number)).id, turn.person, turn.event.channel) };
      },
    },
    {
      pattern: new RegExp(`^(?:进度|查看)\\s*${CASE_NUMBER}$`),
      async run(turn, [number]) {
        const c = await caseByNumber(number);
        if (!(await mayFollow(turn, c))) throw await refuse(turn, 'case.view.refused', `case:${c.id}`, `您无权查看 ${c.number} 的办理情况。`);
        return { say: await inquiry.timeline(c) };
      },
    },
    {
      pattern: /^办结\s*#?(\d{1,9})$/,
      async run(turn, [taskId]) {
        const task = await cases.task(Number(taskId));
        if (!task || task.assigneeId !== turn.person.id) {
          // Someone else's task is answered like a missing one (its existence is not told), but written down.
          if (task) await refusals.record({ actorId: turn.person.id, channel: turn.event.channel, action: 'task.refused', subject: `case:${task.caseId}`, detail: { taskId: task.id } });
          throw new UserFacingError(`没有分派给您的待办 #${taskId}。`);
        }
        if (task.status === 'done') throw new UserFacingError(`待办 #${taskId} 已经办结。`);
        const c = (await cases.get(task.caseId))!;
        const taskDef = workflow.taskDefinition(c, task.kind);
        const prefill = { ...taskDef?.prefill?.(c), taskId: task.id, taskTitle: task.title, caseNumber: c.number };
        return { start: { dialogue: taskDef?.dialogue ?? 'taskCompletion', prefill } };
      },
    },
  ];
}

/**
 * A tap of `op` on a stage's card, wherever it is made (the card, the case page): checks that the
 * person decides this stage now (the state check: a stage already decided says so), and returns
 * the dialogue that records the decision with what it starts from; undefined for an op the stage
 * does not have.
 */
export async function startStageDecision(services: Services, person: Person, channel: string, stageId: number, op: string): Promise<{ dialogue: string; prefill: Values } | undefined> {
  const { workflow, cases } = services;
  const { c, stage } = await workflow.checkDecider(stageId, person, channel);
  const stageDef = workflow.stageDefinition(c, stage);
  const dialogue = stageDialogue(workflow.definition(c.kind), stageDef, op);
  if (!dialogue) return undefined;
  if (stageDef.kind === 'jointReview' && (op === 'approve' || op === 'reject')) {
    const reviews = await cases.reviews(stage.id);
    if (reviews.length === 0 || reviews.some((r) => r.status !== 'done')) {
      throw new UserFacingError(`${c.number} 的集体会审意见尚未到齐，请待全部会审人员提出意见后再填写会审意见。`);
    }
  }
  return { dialogue, prefill: await decisionPrefill(services, c, stage, op) };
}

/**
 * What a stage's dialogue starts with: the case, the chain's verdicts and outcomes, and what
 * the decider must have in front of them (earlier opinions, the finding to approve, a cited filing).
 */
async function decisionPrefill({ workflow, cases, roster, filing }: Services, c: CaseRecord, stage: StageRecord, op: string): Promise<Values> {
  const def = workflow.definition(c.kind);
  const stageDef = workflow.stageDefinition(c, stage);
  const { history } = await caseView(def, cases, c, async (id) => (id ? ((await roster.person(id))?.name ?? '') : ''));
  const current = zoneConclusion(history.map((h) => h.stage));
  const grants = current !== undefined && verdictOf(def, current.verdict).grants;
  const cited = c.form.filingId ? await cases.get(Number(c.form.filingId)) : undefined;
  const citation = cited
    ? `本申请引用了改革创新风险备案 ${cited.number}（${String(cited.form.title)}，实施期限 ${String(cited.form.periodStart)} 至 ${String(cited.form.periodEnd)}，${filing.inForce(cited) ? '备案有效期内' : '不在备案期内'}）。`
    : '';
  const earlier = history.map((h) => `${h.definition.title}（${h.signer}）：${h.text}`).join('\n');
  const submitted = history.filter((h) => h.entry.kind === 'submission').at(-1);
  return {
    stageId: stage.id,
    caseNumber: c.number,
    stageTitle: stageDef.title,
    stageKind: stageDef.kind,
    decision: op,
    verdicts: stageDef.verdicts ? def.verdicts.filter((v) => stageDef.verdicts!.includes(v.key)) : def.verdicts,
    outcomeLabels: stageDef.kind === 'approval' && !grants ? [] : (def.outcomes?.items ?? []),
    outcomesCite: def.outcomes?.cite ?? '',
    finding: current ? conclusionText(def, current) : '',
    submitted: submitted ? submitted.text : '',
    context: [citation, earlier ? `此前的意见：\n${earlier}\n` : ''].join(''),
    ...stageDef.prefill?.(c),
  };
}
