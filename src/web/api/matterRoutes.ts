import type Router from '@koa/router';
import type { Context } from 'koa';
import { descendants } from '../../documents/ledger';
import { MATTER_STATUS_WORDS, type AccountabilityMatter } from '../../domain/tolerance/matters';
import { statusLabel } from '../../domain/workflow/describe';
import { maySee } from '../access';
import type { WebDeps } from '../webDeps';
import { allow, pageOf, pageParams, param, type ApiContext } from './apiRouter';
import type { MatterListItem, MatterListView } from './contract';

const STATUSES = Object.keys(MATTER_STATUS_WORDS) as AccountabilityMatter['status'][];

/**
 * 问责事项 on the console: the register the 纪（工）委 keeps (AccountabilityMatters, the same one a
 * 容错 request and a 澄清正名 choose from in chat), for 党群工作部 whole and for a 纪工委 member
 * the matters whose subject — the person's unit, or the unit itself — is in their territory.
 * Each row names the cases that answer to it.
 */
export function matterRoutes(deps: WebDeps): (router: Router) => void {
  const { services } = deps;
  const read = allow(deps, (v) => maySee(v, 'matters'), '查看问责事项（仅限纪工委和党群工作部）');

  const filterOf = async (ctx: Context) => {
    const [status, unit, year] = ['status', 'unit', 'year'].map((n) => param(ctx, n));
    const known = STATUSES.find((s) => s === status);
    if (status && !known) ctx.throw(400, `状态应是${STATUSES.map((s) => MATTER_STATUS_WORDS[s]).join('、')}之一`);
    if (year && !/^\d{4}$/.test(year)) ctx.throw(400, '年份应是四位数字');
    if (unit && !/^[A-Za-z0-9_-]{1,40}$/.test(unit)) ctx.throw(400, '单位编码只能由字母、数字和连字符组成');
    const units = await services.roster.units();
    const root = unit ? units.find((u) => u.code === unit) : undefined;
    if (unit && !root) ctx.throw(400, `单位编码“${unit}”不存在`);
    return { status: known, year: year ? Number(year) : undefined, within: root && descendants(units, root.id) };
  };

  return (router) => {
    router.get('/matters', read, async (ctx) => {
      const viewer = (ctx as ApiContext).state.viewer;
      const filter = await filterOf(ctx);
      const paging = pageParams(ctx);
      const [units, people, matters, cases] = await Promise.all([
        services.roster.units(), services.roster.allPeople(), services.matters.list(filter), services.cases.list(),
      ]);
      const unitOf = new Map(units.map((u) => [u.id, u]));
      const personOf = new Map(people.map((p) => [p.id, p]));
      const unitIdOf = (m: AccountabilityMatter) => m.subjectUnitId ?? personOf.get(m.subjectPersonId ?? -1)?.unitId ?? -1;
      const mine = matters.filter((m) => viewer.admin || viewer.disciplineUnits.has(unitIdOf(m)));
      const shown = mine.filter((m) => !filter.within || filter.within.has(unitIdOf(m)));
      const answering = (m: AccountabilityMatter) => cases.filter((c) => c.matterId === m.id).map((c) => {
        const def = services.workflow.definition(c.kind);
        return { number: c.number, kindTitle: def.title, statusLabel: statusLabel(def, c) };
      });
      const item = (m: AccountabilityMatter): MatterListItem => {
        const person = m.subjectPersonId === null ? undefined : personOf.get(m.subjectPersonId);
        const unit = unitOf.get(unitIdOf(m));
        const by = personOf.get(m.openedBy);
        return {
          number: m.number,
          subject: person ? `${person.name}（${person.post}）` : `${unit?.name ?? ''}（单位）`,
          unit: unit?.name ?? '',
          unitCode: unit?.code ?? '',
          summary: m.summary,
          openedOn: m.openedOn,
          openedBy: by ? { code: by.code, name: by.name } : null,
          status: m.status,
          statusLabel: MATTER_STATUS_WORDS[m.status],
          cases: answering(m),
        };
      };
      const { rows, ...page } = pageOf(shown, paging);
      const territoryUnits = [...new Map(mine.map((m) => [unitIdOf(m), unitOf.get(unitIdOf(m))])).values()].filter((u) => u !== undefined);
      const view: MatterListView = {
        matters: rows.map(item),
        ...page,
        choices: {
          statuses: STATUSES.map((s) => ({ value: s, label: MATTER_STATUS_WORDS[s] })),
          units: territoryUnits.map((u) => ({ value: u.code, label: u.name })).sort((a, b) => a.value.localeCompare(b.value)),
        },
      };
      ctx.body = view;
    });
  };
}
