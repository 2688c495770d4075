import type Router from '@koa/router';
import type { Context } from 'koa';
import { loadExcel } from '../../rareModules';
import { AUDIT_EXPORT_LIMIT, AUDIT_PAGE, AuditSearch, type AuditFilter } from '../audit/auditSearch';
import type { WebDeps } from '../webDeps';
import { allow, pageParams, param, sendWorkbook, type ApiContext } from './apiRouter';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function filterOf(ctx: Context): AuditFilter {
  const from = param(ctx, 'from');
  const to = param(ctx, 'to');
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) ctx.throw(400, '日期应写作 YYYY-MM-DD');
  const action = param(ctx, 'action');
  if (action && !/^[\w.-]{1,60}$/.test(action)) ctx.throw(400, '操作应是如 talk.read、signin、.refused 这样的名称');
  return { person: param(ctx, 'person') || undefined, caseNumber: param(ctx, 'case') || undefined, action: action || undefined, from: from || undefined, to: to || undefined };
}

/** 审计: search and export of the audit log, for 党群工作部 and the 纪工委. */
export function auditRoutes(deps: WebDeps): (router: Router) => void {
  const search = new AuditSearch(deps.db);
  const read = allow(deps, (v) => v.admin || v.disciplineUnits.size > 0, '查看审计日志');
  return (router) => {
    router.get('/audit', read, async (ctx) => {
      const filter = filterOf(ctx);
      const { page, pageSize } = pageParams(ctx, AUDIT_PAGE);
      const found = await search.search((ctx as ApiContext).state.viewer, filter, { offset: (page - 1) * pageSize, limit: pageSize });
      ctx.body = { ...found, page, pageSize };
    });
    router.get('/audit.xlsx', read, async (ctx) => {
      const viewer = (ctx as ApiContext).state.viewer;
      const filter = filterOf(ctx);
      const { rows, total } = await search.search(viewer, filter, { offset: 0, limit: AUDIT_EXPORT_LIMIT });
      const book = new (await loadExcel()).Workbook();
      const sheet = book.addWorksheet('审计日志');
      sheet.addRow(['时间', '人员编号', '姓名', '渠道', '操作', '对象', '详情']);
      for (const r of rows) sheet.addRow([r.at, r.actor?.code ?? '', r.actor?.name ?? '（系统）', r.channel ?? '', r.action, r.subject, r.detail ?? '']);
      if (total > rows.length) sheet.addRow([`共 ${total} 条，只导出最近的 ${rows.length} 条，请缩小查询范围`]);
      sheet.columns.forEach((c) => (c.width = 18));
      await deps.audit.append(deps.db, { actorId: viewer.person.id, channel: 'web', action: 'audit.exported', subject: 'audit_log', detail: { ...filter, rows: rows.length } });
      sendWorkbook(ctx, '审计日志.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    });
  };
}
