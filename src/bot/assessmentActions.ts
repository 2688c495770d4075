import { zoneDate, type Clock } from '../clock';
import { AuditLog } from '../domain/audit';
import type { Action } from '../conversation/engine';
import { listAnswer, warningsAnswer } from '../domain/assessment/answers';
import { LedgerIndex, loadLedger } from '../domain/assessment/ledger';
import { LIST_KINDS, LIST_TITLES, type ListKind } from '../domain/assessment/incentiveLists';
import { ZoneView } from '../domain/assessment/zoneView';
import { adjustmentLines } from '../domain/adjustment/adjustmentView';
import { causeLabel } from '../domain/adjustment/policy';
import { handlingOf } from '../domain/adjustment/triggerRecords';
import { DocumentLinks, DOCUMENT_LINK_TTL_MS } from '../documents/links';
import { UserFacingError } from '../errors';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import type { DataSource } from 'typeorm';
import type { Turn } from './turn';

/** Record ids in button keys: anything else on a button is forged or stale. */
const ID = /^\d{1,9}$/;
const LISTS: Record<string, ListKind> = { 健康休养名单: 'health-retreat', 优胜单位: 'winning-units', 优胜单位名单: 'winning-units', 优先推荐名单: 'priority' };

/**
 * 考核 → 激励 and 能上能下 in chat: 干部情况 张三, the lists (健康休养名单 2027, 优胜单位 2026,
 * 优先推荐名单 2026, 能上能下预警 2026), 干部队伍综合分析 2026 (a workbook link), 查看调整 TZ2026-0001,
 * and the buttons of trigger, stage and list cards. The offices only; each read and refusal audited.
 */
export function assessmentActions(services: Services, deps: { db: DataSource; state: StateStore; clock: Clock; publicBaseUrl: string }): Action[] {
  const { roster, incentives, adjustment, triggers, profiles, refusals, cases, workflow, inquiry } = services;
  const links = new DocumentLinks(deps.state, deps.clock, deps.publicBaseUrl);
  const thisYear = () => Number(zoneDate(deps.clock.now()).slice(0, 4));
  /** The year asked for, or `fallback` years from now; a year the ledger cannot hold is refused. */
  const yearOf = (text: string, fallback: number): number => {
    const year = text ? Number(text) : thisYear() + fallback;
    if (year < 2000 || year > thisYear() + 1) throw new UserFacingError(`“${text}”不是可查询的年度（2000 年至 ${thisYear() + 1} 年）。`);
    return year;
  };
  const office = (turn: Turn) => roster.holdsAnyRole(turn.person.id, 'personnelOfficer', 'partyAffairsAdmin');
  const refuse = async (turn: Turn, action: `${string}.refused`, subject: string, message: string) =>
    refusals.refuse({ actorId: turn.person.id, channel: turn.event.channel, action, subject }, message);
  const audit = new AuditLog(deps.clock);
  const audited = (turn: Turn, action: string, subject: string) => audit.append(deps.db, { actorId: turn.person.id, channel: turn.event.channel, action, subject });

  return [
    {
      pattern: /^干部情况\s*(\S+)$/,
      async run(turn, [query]) {
        return { say: await profiles.read(query, turn.person, turn.event.channel) };
      },
    },
    {
      pattern: /^(健康休养名单|优胜单位名单|优胜单位|优先推荐名单)\s*(?:(\d{4})年?)?$/,
      async run(turn, [word, yearText]) {
        const kind = LISTS[word];
        const year = yearOf(yearText, kind === 'health-retreat' ? 0 : -1);
        const subject = `incentive:${kind}:${year}`;
        if (!(await office(turn))) throw await refuse(turn, 'incentive.list.refused', subject, `${LIST_TITLES[kind]}只向党群工作部和组织人事部门提供。`);
        await audited(turn, 'incentive.list.read', subject);
        return { send: listAnswer(await incentives.compute(kind, year), await roster.holdsAnyRole(turn.person.id, 'partyAffairsAdmin')) };
      },
    },
    {
      pattern: /^能上能下预警\s*(?:(\d{4})年?)?$/,
      async run(turn, [yearText]) {
        const year = yearOf(yearText, -1);
        if (!(await office(turn))) throw await refuse(turn, 'adjustment.warnings.refused', `warnings:${year}`, '能上能下预警只向组织人事部门和党群工作部提供。');
        await audited(turn, 'adjustment.warnings.read', `warnings:${year}`);
        const zone = await ZoneView.load(deps.db);
        const ledger = new LedgerIndex(await loadLedger(deps.db, year - 1, year));
        const found = await triggers.ofYear(year);
        const numbers = new Map<number, string>();
        for (const t of found) if (t.caseId) numbers.set(t.caseId, (await cases.get(t.caseId))?.number ?? '');
        return { say: warningsAnswer(year, found, ledger, zone, numbers) };
      },
    },
    {
      pattern: /^(?:干部队伍)?综合分析\s*(?:(\d{4})年?)?$/,
      async run(turn, [yearText]) {
        const year = yearOf(yearText, -1);
        if (!(await office(turn))) throw await refuse(turn, 'analysis.refused', `analysis:${year}`, '干部队伍综合分析只向组织人事部门和党群工作部提供（《能上能下办法》第十六条）。');
        const fileName = `干部队伍综合分析-${year}年度.xlsx`;
        const link = await links.issue({ kind: 'analysis', year, fileName, format: 'xlsx', personId: turn.person.id, channel: turn.event.channel });
        const minutes = Math.round(DOCUMENT_LINK_TTL_MS / 60_000);
        return { send: [{ kind: 'markdown', markdown: `**${year}年度干部队伍综合分析（《能上能下办法》第十六条）**\n[${fileName}](${link.url})\n链接 ${minutes} 分钟内有效，请勿转发。` }] };
      },
    },
    {
      pattern: /^查看调整\s*(TZ\d{4}-\d{1,6})$/i,
      async run(turn, [number]) {
        const c = await cases.byNumber(number);
        if (c?.kind !== 'adjustment') throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的调整案件。`);
        if (!(await office(turn))) throw await refuse(turn, 'adjustment.view.refused', `case:${c.id}`, `${c.number} 只向组织人事部门和党群工作部提供。`);
        await audited(turn, 'adjustment.view', `case:${c.id}`);
        // The stage waiting on the reader comes with its card again (one lost, or a case carried over from before the workflow).
        const mine = (await cases.stages(c.id)).find((s) => s.status === 'pending' && s.assigneeId === turn.person.id);
        return { say: [await inquiry.timeline(c), ...adjustmentLines(c, zoneDate(deps.clock.now()))].join('\n'), send: mine && c.status === 'in_review' ? await workflow.stageMessages(c, mine) : [] };
      },
    },
    {
      // adjt:<triggerId>:open|dismiss, on a 第八条 trigger card.
      prefix: 'adjt',
      async run(turn, [triggerId, op]) {
        if (!ID.test(triggerId) || !['open', 'dismiss'].includes(op)) return { say: '这个按钮已失效。' };
        const t = await adjustment.checkTrigger(Number(triggerId), turn.person, turn.event.channel);
        const person = t.personId === null ? undefined : await roster.person(t.personId);
        const title = `${causeLabel(8, t.item)} ${person?.name ?? ''}`;
        if (op === 'dismiss') return { start: { dialogue: 'adjustmentDismissal', prefill: { triggerId: t.id, title } } };
        const prefill: Record<string, unknown> = { triggerId: t.id, article: 8, item: t.item, facts: `${t.facts}（${handlingOf(t.item, person)}）` };
        if (person) prefill.cadre = [{ id: person.id, name: person.name }];
        return { start: { dialogue: 'adjustmentOpening', prefill } };
      },
    },
    {
      // adj:<caseId>:<stage>, on the stage cards sent before adjustments ran on the workflow: their stages now have cards of their own.
      prefix: 'adj',
      async run() {
        return { say: '这张卡片已失效：组织调整已改在各环节的办理卡片上办理。请发送“我的待办”查看待您办理的环节，或发送“查看调整 编号”。' };
      },
    },
    {
      // incl:<kind>:<year>:<digest>, 确认名单 on a list card.
      prefix: 'incl',
      async run(turn, [kind, year, digest]) {
        if (!(LIST_KINDS as readonly string[]).includes(kind) || !/^\d{4}$/.test(year)) return { say: '这个按钮已失效。' };
        const isAdmin = await roster.holdsAnyRole(turn.person.id, 'partyAffairsAdmin');
        const said = await incentives.confirm(kind as ListKind, Number(year), digest, turn.person, turn.event.channel, isAdmin);
        const cardId = turn.event.kind === 'click' ? turn.event.cardId : '';
        return { say: said, send: cardId ? [{ kind: 'cardUpdate', cardId, closedLabel: '已确认' }] : [] };
      },
    },
  ];
}
