import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { isDuplicateKey } from '../../storage/dataSource';
import { insert, select } from '../../storage/sql';
import { addDays } from '../../scheduling/workdays';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import { BASIS_ADJUSTED, shortDate } from './progress';
import { PERIOD_WORDS, type TalkSettings } from './settings';
import { addMonths, anchoredWindows } from './slots';

export const ADJUSTMENT_KINDS = ['调离岗位', '免职', '引咎辞职', '责令辞职', '降职'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

/** 能上能下办法 第十三条: how long each kind of adjustment weighs on the cadre. */
export const INFLUENCE: Record<AdjustmentKind, { years: number; effect: string }> = {
  调离岗位: { years: 1, effect: '一年内不得提拔' },
  免职: { years: 1, effect: '一年内不得提拔' },
  引咎辞职: { years: 2, effect: '两年内不得担任高于原职务层次的职务' },
  责令辞职: { years: 2, effect: '两年内不得担任高于原职务层次的职务' },
  降职: { years: 2, effect: '两年内不得提拔或推荐提拔' },
};

export interface NewAdjustment {
  draftKey: string;
  personId: number;
  kind: AdjustmentKind;
  adjustedOn: string;
  note: string | null;
  recordedBy: Person;
  channel: string;
}

export interface AdjustmentRecord {
  id: number;
  personId: number;
  kind: AdjustmentKind;
  adjustedOn: string;
  endsOn: string;
  talkPeriod: TalkSettings['adjustedTalkPeriod'];
}

/** The last day of the influence period that starts on `adjustedOn`. */
export function influenceEnds(kind: AdjustmentKind, adjustedOn: string): string {
  return addDays(addMonths(adjustedOn, 12 * INFLUENCE[kind].years), -1);
}

/**
 * 被调整干部 (能上能下办法 第十三、十四条). Recording one is what makes its party secretary owe
 * regular talks: the quotas derive them from the row, period by period, until the influence ends.
 */
export class CadreAdjustments {
  constructor(
    private readonly deps: { db: DataSource; clock: Clock; roster: RosterRepository; notifier: Notifier; audit: AuditLog; settings: TalkSettings },
  ) {}

  /** Saves once per draft and tells the secretary; returns the record and who that is. */
  async record(input: NewAdjustment): Promise<{ adjustment: AdjustmentRecord; secretary: Person | undefined }> {
    const cadre = await this.deps.roster.person(input.personId);
    const secretary = cadre && (await this.secretaryOf(cadre));
    const existing = await this.byDraft(input.draftKey);
    if (existing) return { adjustment: existing, secretary };
    const endsOn = influenceEnds(input.kind, input.adjustedOn);
    const period = this.deps.settings.adjustedTalkPeriod;
    try {
      await this.deps.db.transaction(async (tx) => {
        await insert(tx, 'cadre_adjustments', {
          draft_key: input.draftKey, person_id: input.personId, kind: input.kind, adjusted_on: input.adjustedOn, ends_on: endsOn,
          talk_period: period, note: input.note, recorded_by: input.recordedBy.id, created_at: this.deps.clock.now().toISOString(),
        });
        await this.deps.audit.append(tx, {
          actorId: input.recordedBy.id, channel: input.channel, action: 'cadre.adjusted', subject: `person:${input.personId}`,
          detail: { kind: input.kind, adjustedOn: input.adjustedOn, endsOn },
        });
        if (!secretary || !cadre) return;
        const [row] = await select<{ id: number }>(tx, 'SELECT id FROM cadre_adjustments WHERE draft_key = ?', [input.draftKey]);
        const [first] = anchoredWindows(input.adjustedOn, endsOn, period);
        await this.deps.notifier.notify(tx, secretary.id, {
          kind: 'card',
          card: {
            cardId: `talk-adj-${row.id}`,
            title: `被调整干部谈心谈话：${cadre.name}`,
            description:
              `${cadre.name}于 ${input.adjustedOn} ${input.kind}（《能上能下办法》第十三条：${INFLUENCE[input.kind].effect}），影响期至 ${endsOn}。` +
              `${BASIS_ADJUSTED}，请您在影响期内${PERIOD_WORDS[period]}与其谈心谈话一次，首期 ${shortDate(first.from)}—${shortDate(first.to)}。谈过后点击下方按钮登记。`,
            buttons: [{ key: `talk:${cadre.id}:adjusted`, label: `记录 ${cadre.name}`, style: 'primary' }],
          },
        });
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return { adjustment: (await this.byDraft(input.draftKey))!, secretary };
  }

  /** The 党组织书记 of the cadre's unit, or of the nearest unit above it that has one. */
  async secretaryOf(cadre: Person): Promise<Person | undefined> {
    for (const unit of await this.deps.roster.unitChain(cadre.unitId)) {
      const holder = (await this.deps.roster.holders('partySecretary', unit.id)).find((p) => p.id !== cadre.id);
      if (holder) return holder;
    }
    return undefined;
  }

  private async byDraft(draftKey: string): Promise<AdjustmentRecord | undefined> {
    const [row] = await select<{ id: number; person_id: number; kind: AdjustmentKind; adjusted_on: string; ends_on: string; talk_period: AdjustmentRecord['talkPeriod'] }>(
      this.deps.db,
      'SELECT id, person_id, kind, adjusted_on, ends_on, talk_period FROM cadre_adjustments WHERE draft_key = ?',
      [draftKey],
    );
    return row && { id: Number(row.id), personId: Number(row.person_id), kind: row.kind, adjustedOn: row.adjusted_on, endsOn: row.ends_on, talkPeriod: row.talk_period };
  }
}
