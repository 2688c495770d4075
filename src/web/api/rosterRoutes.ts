import type Router from '@koa/router';
import { readBody, readJson } from '../../http/middleware';
import { RosterImportError } from '../../roster/rosterFile';
import type { RosterConsole } from '../roster/rosterConsole';
import type { WebDeps } from '../webDeps';
import { allow, pageOf, pageParams, param, sendWorkbook, type ApiContext } from './apiRouter';
import type { RosterView } from './contract';

/** The largest roster workbook accepted: a zone of several thousand people is well under it. */
export const ROSTER_UPLOAD_LIMIT = 5 * 1024 * 1024;

/** The uploaded file's name as the page sends it (URI-encoded, for the header); a mangled one is just 花名册.xlsx. */
function fileNameOf(header: string): string {
  try {
    return (decodeURIComponent(header) || '花名册.xlsx').slice(0, 200);
  } catch {
    return '花名册.xlsx';
  }
}

const tokenOf = (body: unknown): string => (typeof (body as { token?: unknown })?.token === 'string' ? (body as { token: string }).token : '');

/** 名册: 党群工作部 reads and changes it, 组织人事部门 reads and exports it. */
export function rosterRoutes(deps: WebDeps, rosters: RosterConsole): (router: Router) => void {
  const read = allow(deps, (v) => v.admin || v.personnel, '查看名册');
  const manage = allow(deps, (v) => v.admin, '修改名册（由党群工作部导入和同步）');
  const actor = (ctx: unknown) => (ctx as ApiContext).state.viewer.person;

  return (router) => {
    /** The units whole (the filter's choices) and one page of the people, by unit and by a search of code, name and post. */
    router.get('/roster', read, async (ctx) => {
      const [unit, search] = [param(ctx, 'unit'), param(ctx, 'search')];
      const paging = pageParams(ctx, 25);
      const view = await rosters.view();
      if (unit && !view.units.some((u) => u.code === unit)) ctx.throw(400, `单位编码“${unit}”不存在`);
      const { rows, ...page } = pageOf(view.people.filter((p) => (!unit || p.unitCode === unit) && (!search || `${p.code}${p.name}${p.post}`.includes(search))), paging);
      const answer: RosterView = { units: view.units, people: rows, ...page };
      ctx.body = answer;
    });
    router.get('/roster/export.xlsx', read, async (ctx) => {
      sendWorkbook(ctx, '花名册.xlsx', await rosters.exportWorkbook(actor(ctx)));
    });
    // The workbook itself is the body (the page reads the file and posts its bytes): no multipart to parse.
    router.post('/roster/import/preview', manage, async (ctx) => {
      const bytes = await readBody(ctx, ROSTER_UPLOAD_LIMIT);
      if (bytes.length === 0) ctx.throw(400, '请选择要导入的 Excel 文件');
      const fileName = fileNameOf(ctx.get('x-file-name'));
      try {
        ctx.body = await rosters.previewImport(bytes, fileName, actor(ctx));
      } catch (error) {
        if (!(error instanceof RosterImportError)) throw error;
        ctx.status = 422;
        ctx.body = { error: `文件有 ${error.problems.length} 处问题，未导入任何数据`, problems: error.problems };
      }
    });
    router.post('/roster/import/apply', manage, async (ctx) => {
      const token = tokenOf(await readJson(ctx, 4096));
      try {
        ctx.body = await rosters.applyImport(token, actor(ctx));
      } catch (error) {
        // The roster changed between preview and apply so that the file no longer fits: nothing written.
        if (!(error instanceof RosterImportError)) throw error;
        ctx.status = 422;
        ctx.body = { error: `名册已有变化，文件现有 ${error.problems.length} 处问题，未导入任何数据`, problems: error.problems };
      }
    });
    router.post('/roster/sync/:channel/preview', manage, async (ctx) => {
      ctx.body = await rosters.previewSync(ctx.params.channel, actor(ctx));
    });
    router.post('/roster/sync/:channel/apply', manage, async (ctx) => {
      ctx.body = await rosters.applySync(ctx.params.channel, tokenOf(await readJson(ctx, 4096)), actor(ctx));
    });
  };
}
