import type Router from '@koa/router';
import { z } from 'zod';
import { arrangementProblems } from '../../calendar/arrangement';
import { parseNotice } from '../../calendar/noticeText';
import { formatCalendarReport } from '../../calendar/report';
import { ruleWords } from '../../domain/talks/quotaRules';
import { TALK_PERIODS } from '../../domain/talks/settings';
import { SheetImportError } from '../../imports/sheetFile';
import { readJson } from '../../http/middleware';
import type { WebDeps } from '../webDeps';
import { allow, type ApiContext } from './apiRouter';
import type { CalendarView, DeadlinesView, IntegratedMattersView, QuotaRulesView } from './contract';
import { describeIntegratedMatters, INTEGRATED_LIMITS, type IntegratedMatters } from '../../domain/zone/zoneSettings';
import type { DeadlineKey } from '../../domain/workflow/deadlines';

/** What each 建议办理期限 is for, in the words of the tasks it dates. */
const DEADLINE_WORDS: Record<DeadlineKey, string> = {
  reportToCity: '报备市纪委监委',
  execution: '执行反馈（执行、公开、归档）',
  admonition: '约谈提醒',
  rectification: '纠偏纠错：落实整改措施',
  rootCause: '推进治本',
  evaluation: '备案事项的绩效评价',
  clearance: '澄清正名的实施',
};

const noticeBody = z.object({ notice: z.string().min(1).max(20_000) });
const ruleBody = z.object({ period: z.enum(TALK_PERIODS), times: z.number().int() });
// Only the shape here: what a list may hold (how many, how long, no duplicates) is ZoneSettings' rule.
const mattersBody = z.object({ matters: z.array(z.string().max(200)).max(100) });

/**
 * 设置: the holiday calendar and the units' 谈心谈话 frequencies, through the use cases the chat
 * and the import commands use (WorkingCalendar.load, TalkQuotaRules.apply): the same validation,
 * the same audit lines. Anyone signed in may read them, as in chat; only 党群工作部 changes them.
 * 建议办理期限（本区设置） are environment settings (SUGGESTED_DAYS_*), shown read-only. The 八个一体化
 * list is read and set through ZoneSettings, the use case of the chat's “设置八个一体化”.
 */
export function settingsRoutes(deps: WebDeps): (router: Router) => void {
  const { services } = deps;
  const manage = allow(deps, (v) => v.admin, '修改设置（由党群工作部设置）');
  const by = (ctx: unknown) => ({ actor: (ctx as ApiContext).state.viewer.person, channel: 'web', source: '网页' });
  const yearOf = (text: string, ctx: { throw(status: number, message: string): never }) => {
    const year = Number(text);
    if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) ctx.throw(400, '年份应是 2000 到 2100 之间的四位数字');
    return year;
  };

  const integratedView = async (list: IntegratedMatters): Promise<IntegratedMattersView> => ({
    matters: list.matters,
    set: !list.isDefault,
    updatedBy: list.updatedBy === null ? null : ((await services.roster.person(list.updatedBy))?.name ?? null),
    updatedAt: list.updatedAt,
    limits: INTEGRATED_LIMITS,
    description: describeIntegratedMatters(list),
  });

  return (router) => {
    router.get('/settings/deadlines', async (ctx) => {
      const view: DeadlinesView = {
        settings: (Object.keys(DEADLINE_WORDS) as DeadlineKey[]).map((key) => ({
          key, env: `SUGGESTED_DAYS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, label: DEADLINE_WORDS[key], days: deps.deadlines[key],
        })),
      };
      ctx.body = view;
    });

    router.get('/settings/integrated-matters', async (ctx) => {
      ctx.body = await integratedView(await services.zoneSettings.integratedMatters());
    });

    router.put('/settings/integrated-matters', manage, async (ctx) => {
      const unreadable = '请填写“八个一体化”事项清单，每项一行';
      const body = mattersBody.safeParse(await readJson(ctx, 16 * 1024, unreadable));
      if (!body.success) return ctx.throw(400, unreadable);
      const saved = await services.zoneSettings.setIntegratedMatters((ctx as ApiContext).state.viewer.person, body.data.matters, 'web');
      ctx.body = await integratedView(saved);
    });

    router.get('/settings/calendar/:year', async (ctx) => {
      const year = yearOf(ctx.params.year, ctx);
      const { source, days } = await services.calendar.arrangement(year);
      const view: CalendarView = { year, source, days, description: await services.calendar.describe(year) };
      ctx.body = view;
    });

    /** The notice as pasted, read and checked as the chat's 设置节假日 does: the days, or every problem by line. */
    router.post('/settings/calendar/:year/preview', manage, async (ctx) => {
      const year = yearOf(ctx.params.year, ctx);
      const body = noticeBody.safeParse(await readJson(ctx, 64 * 1024));
      if (!body.success) return ctx.throw(400, '请粘贴国务院办公厅通知中的节假日安排');
      const { days, problems } = parseNotice(body.data.notice, year);
      const all = problems.length > 0 ? problems : arrangementProblems(year, days);
      ctx.status = all.length > 0 ? 422 : 200;
      ctx.body = { days: days.map(({ date, kind, name }) => ({ date, kind, name })), problems: all };
    });

    router.put('/settings/calendar/:year', manage, async (ctx) => {
      const year = yearOf(ctx.params.year, ctx);
      const body = noticeBody.safeParse(await readJson(ctx, 64 * 1024));
      if (!body.success) return ctx.throw(400, '请粘贴国务院办公厅通知中的节假日安排');
      const { days, problems } = parseNotice(body.data.notice, year);
      if (problems.length > 0) {
        ctx.status = 422;
        ctx.body = { error: '通知中有无法识别的内容，未载入', problems };
        return;
      }
      try {
        const reports = await services.calendar.load([{ year, days }], by(ctx));
        ctx.body = { reports, text: formatCalendarReport(reports) };
      } catch (error) {
        if (!(error instanceof SheetImportError)) throw error;
        ctx.status = 422;
        ctx.body = { error: '安排有误，未载入', problems: error.problems };
      }
    });

    router.get('/settings/quota-rules', async (ctx) => {
      const [rules, units] = await Promise.all([services.quotaRules.list(), services.roster.units()]);
      const view: QuotaRulesView = {
        rules: rules.map((r) => ({ unitCode: r.unit.code, unitName: r.unit.name, rule: r.rule, words: ruleWords(r.rule) })),
        units: units.map((u) => ({ code: u.code, name: u.name })),
      };
      ctx.body = view;
    });

    const change = async (ctx: Parameters<Parameters<Router['put']>[1]>[0], rule: { period: (typeof TALK_PERIODS)[number]; times: number } | null) => {
      const unit = (await services.roster.units()).find((u) => u.code === ctx.params.unitCode);
      if (!unit) return ctx.throw(404, `单位编码“${ctx.params.unitCode}”不存在`);
      try {
        ctx.body = await services.quotaRules.apply([{ unitId: unit.id, rule, row: `${unit.name}（${unit.code}）` }], by(ctx));
      } catch (error) {
        if (!(error instanceof SheetImportError)) throw error;
        ctx.status = 422;
        ctx.body = { error: '谈话频次有误，未修改', problems: error.problems };
      }
    };
    router.put('/settings/quota-rules/:unitCode', manage, async (ctx) => {
      const body = ruleBody.safeParse(await readJson(ctx, 4096));
      if (!body.success) return ctx.throw(400, '请选择周期（每月、每季度、每半年、每年）并填写次数');
      await change(ctx, body.data);
    });
    router.delete('/settings/quota-rules/:unitCode', manage, async (ctx) => change(ctx, null));
  };
}
