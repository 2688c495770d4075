import type { DataSource } from 'typeorm';
import { zoneDate, type Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import { leadsAnyOf } from '../../roster/leadership';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AuditLog, Refusals } from '../audit';
import { adjustmentCases, caseLine } from '../adjustment/adjustmentView';
import { causeLabel } from '../adjustment/policy';
import { handlingOf, TriggerRecords, type TriggerRecord } from '../adjustment/triggerRecords';
import { statusOf } from '../talks/slots';
import type { TalkQuotas } from '../talks/quotas';
import { PERIOD_WORDS } from '../talks/settings';
import { item } from '../tolerance/policy';
import type { CaseRepository } from '../workflow/caseRepository';
import { shareText } from './grades';
import { monthsText, promotionYears } from './incentives';
import type { IncentiveList, IncentiveLists } from './incentiveLists';
import { ledgerYears, loadLedger, type PersonYear } from './ledger';
import { ZoneView } from './zoneView';

const TRIGGER_STATUS: Record<TriggerRecord['status'], string> = { open: '待组织人事部门处理', case_opened: '已立案', dismissed: '不予立案', lapsed: '数据更正后不再成立' };

/**
 * 干部情况 张三: one cadre's 考核 history, what the rules make of it, their adjustments and the
 * influence period, adjusted-cadre talks and 容错免责 records. For 组织人事部门, 党群工作部 and the
 * cadre's own leaders; every answer and every refusal is audited.
 */
export class CadreProfiles {
  private readonly triggers: TriggerRecords;

  constructor(
    private readonly deps: {
      db: DataSource; clock: Clock; roster: RosterRepository; audit: AuditLog; refusals: Refusals;
      lists: IncentiveLists; quotas: TalkQuotas; cases: CaseRepository;
    },
  ) {
    this.triggers = new TriggerRecords(deps.db);
  }

  async mayRead(reader: Person, cadre: Person): Promise<boolean> {
    if (await this.deps.roster.holdsAnyRole(reader.id, 'personnelOfficer', 'partyAffairsAdmin')) return true;
    return leadsAnyOf(this.deps.roster, reader.id, [cadre]);
  }

  /** By roster code, or by name among those on the roster; several of one name are listed to choose from. */
  async find(query: string): Promise<Person> {
    const wanted = query.trim();
    const byCode = /^[A-Za-z]+\d+$/.test(wanted) ? await this.deps.roster.personByCode(wanted.toUpperCase()) : undefined;
    if (byCode) return byCode;
    const named = await this.deps.roster.peopleNamed(wanted);
    if (named.length === 1) return named[0];
    if (named.length === 0) throw new UserFacingError(`名册中没有找到“${wanted}”。`);
    const zone = await ZoneView.load(this.deps.db);
    const options = named.map((p) => `${p.code}（${zone.unitName(p.unitId)} ${p.post}）`);
    throw new UserFacingError(`名册中有 ${named.length} 位${wanted}：${options.join('、')}。请发送“干部情况 ${named[0].code}”这样的编号查询。`);
  }

  async read(query: string, reader: Person, channel: string): Promise<string> {
    const cadre = await this.find(query);
    const subject = `person:${cadre.id}`;
    if (!(await this.mayRead(reader, cadre))) {
      throw await this.deps.refusals.refuse(
        { actorId: reader.id, channel, action: 'cadre.profile.refused', subject },
        '干部情况只向组织人事部门、党群工作部和该干部的上级领导提供。',
      );
    }
    const text = await this.render(cadre);
    await this.deps.audit.append(this.deps.db, { actorId: reader.id, channel, action: 'cadre.profile.read', subject });
    return text;
  }

  private async render(cadre: Person): Promise<string> {
    const zone = await ZoneView.load(this.deps.db);
    const today = zoneDate(this.deps.clock.now());
    const years = await ledgerYears(this.deps.db);
    const history = years.length > 0 ? (await loadLedger(this.deps.db, years[0], years.at(-1)!, cadre.id)).people : [];
    const lines = [`【干部情况】${cadre.name}（${zone.unitName(cadre.unitId)} ${cadre.post}，${cadre.nature}${cadre.cityManaged ? '，市管干部' : ''}）`];

    lines.push('一、年度考核（《激励办法》第六条：以干部年度考核等结果为主要依据）');
    lines.push(...(history.length > 0 ? history.map(historyLine) : ['  台账中没有考核记录。']));

    lines.push('二、激励（系统测算，以党群工作部确认的名单为准）');
    const latest = years.at(-1);
    const eligible: string[] = [];
    if (latest) {
      for (const [kind, year] of [['priority', latest], ['health-retreat', latest + 1]] as const) {
        const list = await this.deps.lists.compute(kind, year);
        for (const e of list.entries.filter((x) => x.personId === cadre.id)) {
          eligible.push(`  · ${e.reason}：${e.measure}${e.remainingDays !== undefined ? `；${year} 年还可休 ${e.remainingDays} 个工作日` : ''}（${year} 年名单${confirmedText(list)}）`);
        }
      }
      const person = zone.people.get(cadre.id);
      if (person && zone.isOfficeEnterpriseStaff(person) && history.length > 0) {
        const p = promotionYears(history);
        eligible.push(`  · 晋级年限条件（机关企业性质人员，自 ${p.since} 年度起）：${monthsText(p.months)}`, ...p.lines.map((l) => `    ${l}`));
      }
    }
    lines.push(...(eligible.length > 0 ? eligible : ['  暂无。']));

    lines.push('三、能上能下');
    const found = await this.triggers.ofPerson(cadre.id);
    for (const t of found) lines.push(`  · ${t.year} 年预警《能上能下办法》${causeLabel(8, t.item)}：${t.facts}；${handlingOf(t.item, zone.people.get(cadre.id))}（${TRIGGER_STATUS[t.status]}）`);
    const cases = await adjustmentCases(this.deps.cases, cadre.id);
    for (const c of cases) lines.push(`  · ${caseLine(c, today)}`);
    lines.push(...(await this.talkLines(cadre, today)));
    if (found.length === 0 && cases.length === 0) lines.push('  无预警和组织调整记录。');

    lines.push('四、容错免责（《容错细则》第十一条：“对给予容错的干部，考核考察要客观评价，选拔任用要公正合理”）');
    const tolerance = (await this.deps.cases.byApplicant(cadre.id)).filter((c) => c.kind === 'tolerance' && (c.status === 'granted' || c.status === 'revoked'));
    lines.push(
      ...(tolerance.length > 0
        ? tolerance.map((c) => {
            const given = (c.outcome?.outcomes ?? []).map(item).join('');
            return `  · ${c.number}：予以容错免责${given ? `（《容错细则》第七条${given}）` : ''}${c.status === 'revoked' ? '，后依第十条撤销' : ''}`;
          })
        : ['  无。']),
    );
    return lines.join('\n');
  }

  /** 第十四条: how the party secretary's talks with the adjusted cadre stand. */
  private async talkLines(cadre: Person, today: string): Promise<string[]> {
    const report = await this.deps.quotas.compute(Number(today.slice(0, 4)), today);
    return report.obligations
      .filter((o) => o.talkeeId === cadre.id && o.reasons.includes('adjusted'))
      .map((o) => {
        const talker = report.people.get(o.talkerId)?.name ?? '';
        const held = o.slots.reduce((n, s) => n + s.held, 0);
        const status = statusOf(o.slots, today) === 'owed' ? '本期尚未谈话' : statusOf(o.slots, today) === 'done' ? '本期已谈' : '首期未开始';
        return `  · 被调整干部谈心谈话（《能上能下办法》第十四条“定期”；本区设定${PERIOD_WORDS[o.period]}一次）：${talker}，本年已谈 ${held} 次，${status}`;
      });
  }
}

function historyLine(r: PersonYear): string {
  const parts = [r.grade ?? '（无年度等次）'];
  if (r.incompetentShare) parts.push(`民主测评不称职得票 ${shareText(r.incompetentShare)}`);
  if (r.probationResult || r.probationAgainst) parts.push(`试用期满考核${r.probationResult ?? ''}${r.probationAgainst ? `，不同意转正 ${shareText(r.probationAgainst)}` : ''}`);
  if (r.contractResult || r.contractAgainst) parts.push(`聘任期满考核${r.contractResult ?? ''}${r.contractAgainst ? `，不同意继续聘任 ${shareText(r.contractAgainst)}` : ''}`);
  if (r.soeContract) parts.push(`国资公司聘任期满考核${r.soeContract}`);
  if (r.promoted) parts.push('当年晋级');
  return `  ${r.year} 年度：${parts.join('；')}`;
}

const confirmedText = (list: IncentiveList) => (list.confirmed?.entries.some((e) => list.entries.some((x) => x.subject === e.subject)) ? `已由${list.confirmed.by}确认` : '待党群工作部确认');
