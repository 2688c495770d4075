import type Router from '@koa/router';
import type { Context } from 'koa';
import { zoneDate } from '../../clock';
import { mayExportCaseDocument, mayExportLedger } from '../../documents/exportAccess';
import { CASE_STATUSES } from '../../documents/ledger';
import { DocumentLinks } from '../../documents/links';
import { resolvePdfFont } from '../../documents/pdfFont';
import { CASE_DOCUMENTS, DOCUMENT_NAMES } from '../../documents/render';
import { statusWord } from '../../domain/workflow/describe';
import type { CaseStatus } from '../../domain/workflow/types';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { WebDeps } from '../webDeps';
import { allow, pageOf, pageParams, param, sendWorkbook, yearParam, type ApiContext } from './apiRouter';
import { filterCases, loadCases, type CaseFilter, type LoadedCase } from './caseBook';
import { caseFigures, caseFiguresWorkbook } from './caseFigures';
import type { CaseListView } from './contract';

const CODE = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * 案件 on the console: the cases a viewer may see (caseBook.caseVisible), filtered; their documents
 * and the 台账 of exactly the filtered list, both through the chat's download links and its export
 * rules (documents/exportAccess); and 概览's case figures.
 */
export function caseRoutes(deps: WebDeps): (router: Router) => void {
  const { services, clock } = deps;
  const links = new DocumentLinks(deps.state, clock, deps.publicBaseUrl);
  const viewer = (ctx: Context) => (ctx as ApiContext).state.viewer;
  // The kinds come from the chains the workflow runs, so that a new kind of case is listed by itself.
  const definitions = services.workflow.definitions();
  /** 已获批准 is 予以容错免责 for one chain and 同意备案 for another: a status's words across the chains. */
  const statusWords = (s: CaseStatus) => [...new Set(definitions.map((d) => statusWord(d, s)))].join('／');
  const overview = allow(deps, (v) => v.admin || v.ledUnits.size > 0 || v.disciplineUnits.size > 0, '查看案件概览');
  const ledger = allow(deps, (v) => mayExportLedger(services.roster, v.person), '导出台账（仅限纪工委、党群工作部和组织人事部门）');

  const filterOf = async (ctx: Context): Promise<CaseFilter> => {
    const [kind, status, unit, year, stage, waitingOn] = ['kind', 'status', 'unit', 'year', 'stage', 'waitingOn'].map((n) => param(ctx, n));
    const knownKind = definitions.find((d) => d.kind === kind)?.kind;
    const knownStatus = CASE_STATUSES.find((s) => s === status);
    if (kind && !knownKind) ctx.throw(400, `类别应是${definitions.map((d) => d.title).join('、')}之一`);
    if (status && !knownStatus) ctx.throw(400, '没有这种办理状态');
    if (year && !/^\d{4}$/.test(year)) ctx.throw(400, '年份应是四位数字');
    for (const [text, what] of [[unit, '单位编码'], [stage, '环节'], [waitingOn, '人员编号']] as const) if (text && !CODE.test(text)) ctx.throw(400, `${what}只能由字母、数字和连字符组成`);
    if (unit && !(await services.roster.units()).some((u) => u.code === unit)) ctx.throw(400, `单位编码“${unit}”不存在`);
    return {
      kind: knownKind, status: knownStatus, unitCode: unit || undefined,
      year: year ? Number(year) : undefined, stage: stage || undefined, waitingOn: waitingOn || undefined,
    };
  };
  const listed = async (ctx: Context): Promise<LoadedCase[]> => {
    const filter = await filterOf(ctx);
    return filterCases(await loadCases(services, viewer(ctx), clock.now()), filter, await services.roster.units());
  };

  return (router) => {
    router.get('/cases', async (ctx) => {
      const filter = await filterOf(ctx);
      const paging = pageParams(ctx);
      const all = await loadCases(services, viewer(ctx), clock.now());
      const units = await services.roster.units();
      const distinct = (pairs: [string, string][]) => [...new Map(pairs).entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.value.localeCompare(b.value));
      const { rows, ...page } = pageOf(filterCases(all, filter, units).map((k) => k.item).reverse(), paging);
      const view: CaseListView = {
        cases: rows,
        ...page,
        choices: {
          kinds: definitions.map((d) => ({ value: d.kind, label: d.title })),
          statuses: CASE_STATUSES.map((s) => ({ value: s, label: statusWords(s) })),
          stages: distinct(all.flatMap((k) => k.item.stages.map((s): [string, string] => [s.key, s.title]))),
          units: distinct(all.map((k): [string, string] => [k.item.unitCode, k.item.unit])),
          waitingOn: distinct(all.flatMap((k) => k.item.waitingOn.map((p): [string, string] => [p.code, p.name]))),
        },
        ledger: await mayExportLedger(services.roster, viewer(ctx).person),
      };
      ctx.body = view;
    });

    /** The 台账 of exactly what the list shows with these filters, made by the chat's 导出台账 link. */
    router.get('/cases/ledger.xlsx', ledger, async (ctx) => {
      const selected = await listed(ctx);
      const today = zoneDate(clock.now());
      const link = await links.issue({
        kind: 'ledger',
        filter: { caseIds: selected.map((k) => k.c.id), selection: `控制台筛选的 ${selected.length} 件` },
        fileName: `台账-${today}.xlsx`,
        format: 'xlsx',
        personId: viewer(ctx).person.id,
        channel: 'web',
      });
      ctx.redirect(link.url);
    });

    router.get('/cases/:number/documents/:document', async (ctx) => {
      const person = viewer(ctx).person;
      const number = ctx.params.number.toUpperCase().slice(0, 30);
      const document = CASE_DOCUMENTS.find((d) => d === ctx.params.document);
      if (!document) return ctx.throw(400, '文书应是 form（审批表或备案表）、reply（批复或回复）或 submission（呈报表）');
      const format = param(ctx, 'format') === 'pdf' ? 'pdf' : 'docx';
      const loaded = (await loadCases(services, viewer(ctx), clock.now())).find((k) => k.c.number === number);
      const name = loaded && DOCUMENT_NAMES[document][loaded.c.kind];
      if (!loaded || !(await mayExportCaseDocument(services, person, loaded.c, document))) {
        // Written against the case's id, as every case line is, so that 审计's search by case finds it.
        const asked = loaded?.c ?? (await services.cases.byNumber(number));
        await deps.audit.append(deps.db, { actorId: person.id, channel: 'web', action: 'document.refused', subject: asked ? `case:${asked.id}` : `case:${number}`, detail: { number, document } });
        throw new NotAllowedError(`您无权下载 ${number} 的文书。`);
      }
      if (!name || (document === 'reply' && !loaded.item.documents.reply)) throw new UserFacingError(`${number} 尚未办结，还没有批复或回复。`, 404);
      if (document === 'submission' && !loaded.item.documents.submission) throw new UserFacingError(`${number} 不是呈报市纪委监委的事项，没有呈报表。`, 404);
      if (format === 'pdf') {
        try {
          await resolvePdfFont(process.env);
        } catch {
          throw new UserFacingError('服务器暂不能生成 PDF（未安装中文字体），请下载 Word 版。', 422);
        }
      }
      const link = await links.issue({ kind: 'form', caseId: loaded.c.id, document, format, personId: person.id, channel: 'web' });
      ctx.redirect(link.url);
    });

    router.get('/overview/cases', overview, async (ctx) => {
      const year = yearParam(ctx, Number(zoneDate(clock.now()).slice(0, 4)));
      ctx.body = caseFigures(await loadCases(services, viewer(ctx), clock.now()), year, zoneDate(clock.now()), statusWords);
    });

    router.get('/overview/cases.xlsx', overview, async (ctx) => {
      const year = yearParam(ctx, Number(zoneDate(clock.now()).slice(0, 4)));
      const figures = caseFigures(await loadCases(services, viewer(ctx), clock.now()), year, zoneDate(clock.now()), statusWords);
      sendWorkbook(ctx, `案件统计-${year}.xlsx`, await caseFiguresWorkbook(figures));
    });
  };
}
