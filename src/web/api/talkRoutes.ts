import type Router from '@koa/router';
import { loadExcel } from '../../rareModules';
import { zoneDate } from '../../clock';
import { completionRate } from '../../domain/talks/progress';
import { seesTalkOverview, type Viewer } from '../access';
import { talkFigures } from '../talks/talkFigures';
import type { WebDeps } from '../webDeps';
import { allow, sendWorkbook, yearParam, type ApiContext } from './apiRouter';
import type { TalkFigures, TalkListItem } from './contract';

/**
 * 谈心谈话 in the console: the year's figures (概览 and the progress page), the records a viewer
 * may see listed (who, when, never what), and a record's content where the talk access rules let
 * the viewer read it — read through TalkAccess, which writes the audit line.
 */
export function talkRoutes(deps: WebDeps): (router: Router) => void {
  const { services, clock } = deps;
  const thisYear = () => Number(zoneDate(clock.now()).slice(0, 4));
  const overview = allow(deps, seesTalkOverview, '查看谈心谈话概览');

  return (router) => {
    router.get('/overview/talks', overview, async (ctx) => {
      ctx.body = await talkFigures(services.quotas, (ctx as ApiContext).state.viewer, yearParam(ctx, thisYear()), clock.now());
    });

    router.get('/overview/talks.xlsx', overview, async (ctx) => {
      const figures = await talkFigures(services.quotas, (ctx as ApiContext).state.viewer, yearParam(ctx, thisYear()), clock.now());
      sendWorkbook(ctx, `谈心谈话完成情况-${figures.year}.xlsx`, await figuresWorkbook(figures));
    });

    router.get('/talks/progress', async (ctx) => {
      ctx.body = await talkFigures(services.quotas, (ctx as ApiContext).state.viewer, yearParam(ctx, thisYear()), clock.now());
    });

    router.get('/talks/records', async (ctx) => {
      const viewer = (ctx as ApiContext).state.viewer;
      const records = await services.talks.ofYear(yearParam(ctx, thisYear()));
      const people = new Map((await services.roster.activePeople()).map((p) => [p.id, p]));
      const name = async (id: number) => (people.get(id) ?? (await services.roster.person(id)))?.name ?? '';
      const items: TalkListItem[] = [];
      for (const talk of records) {
        if (!(await listed(viewer, talk.talkerId, talk.talkeeIds))) continue;
        items.push({
          number: talk.number,
          talkedOn: talk.talkedOn,
          kind: talk.kind,
          talker: await name(talk.talkerId),
          talkees: await Promise.all(talk.talkeeIds.map(name)),
          withdrawn: talk.withdrawnAt !== null,
          readable: await services.talkAccess.mayRead(viewer.person, talk),
        });
      }
      ctx.body = { records: items };
    });

    router.get('/talks/records/:number', async (ctx) => {
      const viewer = (ctx as ApiContext).state.viewer;
      ctx.body = { number: ctx.params.number.toUpperCase(), text: await services.talkAccess.read(ctx.params.number.slice(0, 30), viewer.person, 'web') };
    });
  };

  /** A record shows in the list to its talker and talkees, to 党群工作部, and to the leaders of the talker's or a talkee's unit. */
  async function listed(viewer: Viewer, talkerId: number, talkeeIds: number[]): Promise<boolean> {
    if (viewer.admin || talkerId === viewer.person.id || talkeeIds.includes(viewer.person.id)) return true;
    if (viewer.ledUnits.size === 0) return false;
    for (const id of [talkerId, ...talkeeIds]) {
      const p = await services.roster.person(id);
      if (p && viewer.ledUnits.has(p.unitId)) return true;
    }
    return false;
  }
}

/** The figures as they are shown, for those who report upwards: by unit, by leader, and who is owed a talk. */
async function figuresWorkbook(f: TalkFigures): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  const units = book.addWorksheet('按单位');
  units.addRow([`${f.year}年谈心谈话完成情况（截至 ${f.asOf}，依据《激励办法》第十一条（四）、《能上能下办法》第十四条）`]);
  units.addRow(['单位', '应谈（人次）', '已谈', '未谈', '完成率']);
  for (const u of f.byUnit) units.addRow([u.name, u.done + u.owed, u.done, u.owed, completionRate(u.done, u.owed)]);
  units.addRow(['合计', f.totals.done + f.totals.owed, f.totals.done, f.totals.owed, completionRate(f.totals.done, f.totals.owed)]);
  const leaders = book.addWorksheet('按领导');
  leaders.addRow(['领导', '职务', '单位', '应谈（人）', '已谈', '未谈', '尚未谈话的对象']);
  for (const l of f.byLeader) {
    leaders.addRow([l.name, l.post, l.unit, l.done.length + l.owed.length, l.done.length, l.owed.length, l.owed.map((t) => (t.adjusted ? `${t.name}（被调整干部）` : t.name)).join('、')]);
  }
  for (const sheet of [units, leaders]) sheet.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await book.xlsx.writeBuffer());
}
