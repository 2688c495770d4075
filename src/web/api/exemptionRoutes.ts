import type Router from '@koa/router';
import type { Context } from 'koa';
import { zoneDate } from '../../clock';
import { descendants } from '../../documents/ledger';
import { toleranceWorkflow } from '../../domain/tolerance/definition';
import type { Exemption } from '../../domain/tolerance/exemptions';
import { outcomeLine } from '../../domain/workflow/describe';
import { maySee } from '../access';
import type { WebDeps } from '../webDeps';
import { allow, pageOf, pageParams, param, sendWorkbook, type ApiContext } from './apiRouter';
import type { ExemptionItem, ExemptionListView } from './contract';
import { loadExcel } from '../../rareModules';

/** The task 组织人事部门 hold on a granted request (the definition's 执行反馈 for personnel). */
const PERSONNEL_TASK = 'execute-personnel';

/**
 * 容错免责 on the console: the granted requests' 第七条 outcomes that 组织人事部门 are to execute
 * and weigh (《容错细则》第六条（一）5, 第十一条), read through ExemptionRegister — the register
 * the chat's “容错记录” reads — with the execution task of each, and its export.
 */
export function exemptionRoutes(deps: WebDeps): (router: Router) => void {
  const { services, clock } = deps;
  const read = allow(deps, (v) => maySee(v, 'exemptions'), '查看容错免责执行情况（仅限组织人事部门、纪工委和党群工作部）');

  const listed = async (ctx: Context): Promise<ExemptionItem[]> => {
    const viewer = (ctx as ApiContext).state.viewer;
    const [unit, year, state] = ['unit', 'year', 'state'].map((n) => param(ctx, n));
    if (year && !/^\d{4}$/.test(year)) ctx.throw(400, '年份应是四位数字');
    if (state && state !== 'valid' && state !== 'revoked') ctx.throw(400, '状态应是 valid（有效）或 revoked（已撤销）');
    if (unit && !/^[A-Za-z0-9_-]{1,40}$/.test(unit)) ctx.throw(400, '单位编码只能由字母、数字和连字符组成');
    const [units, people] = await Promise.all([services.roster.units(), services.roster.allPeople()]);
    const root = unit ? units.find((u) => u.code === unit) : undefined;
    if (unit && !root) ctx.throw(400, `单位编码“${unit}”不存在`);
    const within = root && descendants(units, root.id);
    const unitOf = new Map(units.map((u) => [u.id, u]));
    const personOf = new Map(people.map((p) => [p.id, p]));
    const today = zoneDate(clock.now());
    const shown = (e: Exemption) =>
      (viewer.admin || viewer.personnel || viewer.disciplineUnits.has(e.case.unitId)) &&
      (!within || within.has(e.case.unitId)) &&
      (!year || (e.reply?.issuedOn ?? zoneDate(new Date(e.case.createdAt))).startsWith(`${year}-`)) &&
      (!state || (state === 'revoked') === e.revoked);
    const items: ExemptionItem[] = [];
    for (const e of (await services.exemptions.all()).filter(shown).reverse()) {
      const person = personOf.get(e.case.applicantId);
      const task = (await services.cases.tasks(e.case.id)).find((t) => t.kind === PERSONNEL_TASK);
      const assignee = task?.assigneeId == null ? undefined : personOf.get(task.assigneeId);
      const execution: ExemptionItem['execution'] = task
        ? { assignee: assignee ? { code: assignee.code, name: assignee.name } : null, dueOn: task.dueOn, status: task.status, doneOn: task.doneAt && zoneDate(new Date(task.doneAt)), overdue: task.status === 'open' && task.dueOn !== null && task.dueOn < today, label: '' }
        : null;
      if (execution) execution.label = executionWords(execution);
      items.push({
        number: e.case.number,
        person: { code: person?.code ?? '', name: person?.name ?? '' },
        post: person?.post ?? '',
        unit: unitOf.get(e.case.unitId)?.name ?? '',
        outcome: e.outcome,
        outcomes: (e.case.outcome?.outcomes ?? []).map((i) => outcomeLine(toleranceWorkflow, i)),
        reply: e.reply ? { title: e.reply.issuer === 'city' ? '市纪委监委答复' : e.reply.title, number: e.reply.number, issuedOn: e.reply.issuedOn } : null,
        revoked: e.revoked ? `《容错细则》${e.case.revocation?.reason ?? '第十条'}` : null,
        execution,
      });
    }
    return items;
  };

  return (router) => {
    router.get('/exemptions', read, async (ctx) => {
      const paging = pageParams(ctx);
      const { rows, ...page } = pageOf(await listed(ctx), paging);
      const view: ExemptionListView = { exemptions: rows, ...page };
      ctx.body = view;
    });

    router.get('/exemptions.xlsx', read, async (ctx) => {
      const items = await listed(ctx);
      const book = new (await loadExcel()).Workbook();
      const sheet = book.addWorksheet('容错免责');
      sheet.addRow(['编号', '人员编号', '姓名', '单位', '职务', '认定结论', '批复', '状态', '组织人事部门执行', '建议办理期限（本区设置）']);
      for (const e of items) {
        sheet.addRow([
          e.number, e.person.code, e.person.name, e.unit, e.post, e.outcome,
          e.reply ? `${e.reply.title} ${e.reply.number}（${e.reply.issuedOn}）` : '',
          e.revoked ? `已依${e.revoked}撤销` : '有效',
          e.execution?.label ?? '无执行待办', e.execution?.dueOn ?? '',
        ]);
      }
      sheet.columns.forEach((c) => (c.width = 18));
      const viewer = (ctx as ApiContext).state.viewer;
      await deps.audit.append(deps.db, { actorId: viewer.person.id, channel: 'web', action: 'exemptions.exported', subject: 'exemptions', detail: { rows: items.length } });
      sendWorkbook(ctx, `容错免责执行-${zoneDate(clock.now())}.xlsx`, Buffer.from(await book.xlsx.writeBuffer()));
    });
  };
}

/** 已执行（日期）, 待执行（建议…前办理）, 已取消: the personnel task's state in words, for the page and the sheet. */
function executionWords(x: NonNullable<ExemptionItem['execution']>): string {
  if (x.status === 'done') return `已执行（${x.doneOn ?? ''}）`;
  if (x.status === 'cancelled') return '已取消';
  const due = x.dueOn ? `（建议 ${x.dueOn} 前办理${x.overdue ? '，已超过' : ''}）` : '';
  return `${x.assignee?.name ?? '待补充名册'}待执行${due}`;
}
