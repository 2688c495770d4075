import type { Clock } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { JobHandler } from '../../scheduling/scheduler';
import { select, update } from '../../storage/sql';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import type { CaseRepository } from '../workflow/caseRepository';
import { adjustmentForm } from './definition';
import { INFLUENCE_ENDED } from './influence';
import { causeLabel, REAPPOINTMENT_TEXT } from './policy';
import { describeTrigger, TRIGGER_CARDS, TriggerRecords } from './triggerRecords';

interface Deps {
  cases: CaseRepository;
  roster: RosterRepository;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
}

const officersFor = async (roster: RosterRepository, unitId: number) => (await roster.nearestHolders('personnelOfficer', unitId))?.people ?? [];

/**
 * 第八条 triggers found by an import: each goes to the 组织人事部门 of the cadre's (or unit's)
 * unit as the rule and the data in full, then a compact card with 立案调整 and 不予立案. Marked
 * sent in the job's transaction, so each is sent once whatever the retries.
 */
export function triggerCardsJob(deps: Deps): JobHandler {
  return {
    kind: TRIGGER_CARDS,
    async run(_job, tx) {
      const now = deps.clock.now().toISOString();
      for (const t of await new TriggerRecords(tx).unsent(tx)) {
        const person = t.personId === null ? undefined : await deps.roster.person(t.personId);
        const unitId = person?.unitId ?? t.unitId!;
        const subject = person ? person.name : ((await deps.roster.unit(unitId))?.name ?? '');
        const title = `能上能下预警：${causeLabel(8, t.item)} ${subject}`;
        for (const officer of await officersFor(deps.roster, unitId)) {
          await deps.notifier.notify(tx, officer.id, {
            kind: 'text',
            text: [
              `【${title}】`,
              ...describeTrigger(t, person),
              '《能上能下办法》第八条：“经组织认定不适宜担任现职的，根据干部管理权限建议上级调整或予以调整”。请核实后决定是否立案，进入考察核实（第十二条）。',
            ].join('\n'),
          });
          await deps.notifier.notify(tx, officer.id, {
            kind: 'card',
            card: {
              cardId: `adj-trg-${t.id}`,
              title,
              description: '经组织认定不适宜担任现职的，方予调整。依据和数据见上一条消息，请核实后决定是否立案。',
              fields: [{ label: '年度', value: `${t.year} 年` }],
              buttons: [
                { key: `adjt:${t.id}:open`, label: '立案调整', style: 'primary' },
                { key: `adjt:${t.id}:dismiss`, label: '不予立案' },
              ],
            },
          });
        }
        await update(tx, 'adjustment_triggers', { notified_at: now }, 'id = ?', [t.id]);
      }
    },
  };
}

/**
 * 第十五条: the morning after an influence period ends, the 组织人事部门 is told the cadre may
 * again be considered. A case whose period was changed since is left alone.
 */
export function influenceEndedJob(deps: Deps): JobHandler {
  return {
    kind: INFLUENCE_ENDED,
    async run(job, tx) {
      const { caseId, until } = job.payload as { caseId: number; until: string };
      const c = await deps.cases.get(caseId, tx);
      const decision = c && adjustmentForm(c).decision;
      if (!c || decision?.influenceUntil !== until) return;
      const cadre = await deps.roster.person(c.applicantId);
      const [stillServing] = await select<{ id: number }>(tx, 'SELECT id FROM people WHERE id = ? AND left_on IS NULL', [c.applicantId]);
      if (!cadre || !stillServing) return;
      for (const officer of await officersFor(deps.roster, c.unitId)) {
        await deps.notifier.notify(tx, officer.id, {
          kind: 'text',
          text:
            `【影响期满】${cadre.name}（${c.number}，${decision.effectiveOn} ${decision.way}）的影响期已于 ${until} 期满。` +
            `《能上能下办法》第十五条：“${REAPPOINTMENT_TEXT}”。发送“干部情况 ${cadre.code}”查看其考核和调整情况。`,
        });
      }
      await deps.audit.append(tx, { actorId: null, action: 'influence.ended', subject: `case:${c.id}`, detail: { until } });
    },
  };
}
