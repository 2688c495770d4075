import type { Clock } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { addDays } from '../../scheduling/workdays';
import { insert, select, type Executor } from '../../storage/sql';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import { BASIS_ADJUSTED, shortDate } from './progress';
import { PERIOD_WORDS, type TalkSettings } from './settings';
import { addMonths, anchoredWindows } from './slots';

/** How long an adjusted cadre's talks run when ADJUSTED_CADRE_TALK_SPAN is `influence` and 第十三条 sets no period. */
export const TALK_MONTHS_WITHOUT_INFLUENCE = 12;

export interface AdjustedCadre {
  caseId: number;
  caseNumber: string;
  personId: number;
  /** The way of adjustment decided (第五条). */
  way: string;
  adjustedOn: string;
  /** 第十三条's period, when the adjustment was 因不适宜担任现职 and the way has one. */
  influence: { until: string; effect: string } | null;
  recordedBy: Person;
  channel: string;
}

export interface AdjustmentRecord {
  id: number;
  personId: number;
  kind: string;
  adjustedOn: string;
  /** The last day the party secretary owes talks (a setting, not the article's). */
  endsOn: string;
  talkPeriod: TalkSettings['adjustedTalkPeriod'];
}

/** The last day of `months` months that start on `from`. */
export const monthsEnd = (from: string, months: number): string => addDays(addMonths(from, months), -1);

/**
 * 被调整干部 (能上能下办法 第十四条): the party secretary of an adjusted cadre's unit talks with
 * them 定期. How often (ADJUSTED_CADRE_TALK_PERIOD) and until when (ADJUSTED_CADRE_TALK_SPAN) are
 * the zone's settings; the quotas derive the talks owed from the row written here.
 */
export class CadreAdjustments {
  constructor(
    private readonly deps: { clock: Clock; roster: RosterRepository; notifier: Notifier; audit: AuditLog; settings: TalkSettings },
  ) {}

  /** Until when the secretary owes talks, by the settings. */
  talksUntil(adjustedOn: string, influence: AdjustedCadre['influence']): string {
    const span = this.deps.settings.adjustedTalkSpan;
    if (span === 'influence') return influence?.until ?? monthsEnd(adjustedOn, TALK_MONTHS_WITHOUT_INFLUENCE);
    return monthsEnd(adjustedOn, span);
  }

  /**
   * In the caller's transaction (the case's 组织决定): writes the talks owed, once per case, and
   * tells the secretary. Returns the record and who the secretary is.
   */
  async record(tx: Executor, input: AdjustedCadre): Promise<{ adjustment: AdjustmentRecord; secretary: Person | undefined }> {
    const cadre = await this.deps.roster.person(input.personId);
    const secretary = cadre && (await this.secretaryOf(cadre));
    const draftKey = `case:${input.caseId}`;
    const existing = await this.byDraft(tx, draftKey);
    if (existing) return { adjustment: existing, secretary };
    const endsOn = this.talksUntil(input.adjustedOn, input.influence);
    const period = this.deps.settings.adjustedTalkPeriod;
    await insert(tx, 'cadre_adjustments', {
      draft_key: draftKey, case_id: input.caseId, person_id: input.personId, kind: input.way, adjusted_on: input.adjustedOn, ends_on: endsOn,
      talk_period: period, note: input.caseNumber, recorded_by: input.recordedBy.id, created_at: this.deps.clock.now().toISOString(),
    });
    await this.deps.audit.append(tx, {
      actorId: input.recordedBy.id, channel: input.channel, action: 'cadre.adjusted', subject: `person:${input.personId}`,
      detail: { case: input.caseNumber, way: input.way, adjustedOn: input.adjustedOn, talksUntil: endsOn, influenceUntil: input.influence?.until ?? null },
    });
    const adjustment = (await this.byDraft(tx, draftKey))!;
    if (secretary && cadre) {
      const [first] = anchoredWindows(input.adjustedOn, endsOn, period);
      const influence = input.influence ? `影响期至 ${input.influence.until}（《能上能下办法》第十三条：${input.influence.effect}）` : '不适用第十三条影响期';
      // The decision and the article in full first; the card keeps what a phone shows whole.
      await this.deps.notifier.notify(tx, secretary.id, {
        kind: 'text',
        text:
          `【被调整干部谈心谈话】${cadre.name}于 ${input.adjustedOn} ${input.way}（${input.caseNumber}），${influence}。` +
          `${BASIS_ADJUSTED}：“被调整干部的所在地区（部门或单位）党组织书记要定期与其谈心谈话”。多久谈一次是本区的设定，不是该条的规定。`,
      });
      await this.deps.notifier.notify(tx, secretary.id, {
        kind: 'card',
        card: {
          cardId: `talk-adj-${adjustment.id}`,
          title: `被调整干部谈心谈话：${cadre.name}`,
          description: `按本区设定，请您${PERIOD_WORDS[period]}与其谈心谈话一次，至 ${endsOn}，首期 ${shortDate(first.from)}—${shortDate(first.to)}。依据见上一条消息，谈过后点击下方按钮登记。`,
          buttons: [{ key: `talk:${cadre.id}:adjusted`, label: `记录 ${cadre.name}`, style: 'primary' }],
        },
      });
    }
    return { adjustment, secretary };
  }

  /** The 党组织书记 of the cadre's unit, or of the nearest unit above it that has one. */
  async secretaryOf(cadre: Person): Promise<Person | undefined> {
    for (const unit of await this.deps.roster.unitChain(cadre.unitId)) {
      const holder = (await this.deps.roster.holders('partySecretary', unit.id)).find((p) => p.id !== cadre.id);
      if (holder) return holder;
    }
    return undefined;
  }

  /** The talks owed for a case, if its decision has been recorded. */
  async ofCase(caseId: number, ex: Executor): Promise<AdjustmentRecord | undefined> {
    return this.byDraft(ex, `case:${caseId}`);
  }

  private async byDraft(ex: Executor, draftKey: string): Promise<AdjustmentRecord | undefined> {
    const [row] = await select<{ id: number; person_id: number; kind: string; adjusted_on: string; ends_on: string; talk_period: AdjustmentRecord['talkPeriod'] }>(
      ex,
      'SELECT id, person_id, kind, adjusted_on, ends_on, talk_period FROM cadre_adjustments WHERE draft_key = ?',
      [draftKey],
    );
    return row && { id: Number(row.id), personId: Number(row.person_id), kind: row.kind, adjustedOn: row.adjusted_on, endsOn: row.ends_on, talkPeriod: row.talk_period };
  }
}
