import type { Action } from '../conversation/engine';
import type { Clock } from '../clock';
import { progressText, zoneSummary } from '../domain/talks/progress';
import { UserFacingError } from '../errors';
import type { Services } from '../services';

/**
 * 谈心谈话 outside the logging dialogue: progress for a leader and for 党群工作部, reading one
 * record (confidential), and the 记录 buttons of reminder cards.
 */
export function talkActions(services: Services, clock: Clock): Action[] {
  const { quotas, roster, talkAccess, talkCorrections, refusals } = services;
  return [
    {
      pattern: /^(?:我的)?谈话进度$/,
      async run(turn) {
        return { say: progressText(await quotas.current(clock.now()), turn.person.id) };
      },
    },
    {
      pattern: /^谈话进度汇总$/,
      async run(turn) {
        if (!(await roster.holdsAnyRole(turn.person.id, 'partyAffairsAdmin'))) {
          throw await refusals.refuse(
            { actorId: turn.person.id, channel: turn.event.channel, action: 'talk.progress.refused', subject: 'talks:zone' },
            '谈话进度汇总只向党群工作部提供。您可以发送“我的谈话进度”查看本人的进度。',
          );
        }
        return { say: zoneSummary(await quotas.current(clock.now())) };
      },
    },
    {
      pattern: /^查看谈话\s*(TH\d{4}-\d{1,9})$/i,
      async run(turn, [number]) {
        return { say: await talkAccess.read(number, turn.person, turn.event.channel) };
      },
    },
    {
      pattern: /^(?:更正|修改)谈话\s*(TH\d{4}-\d{1,9})$/i,
      async run(turn, [number]) {
        const talk = await talkCorrections.own(number, turn.person, turn.event.channel);
        return { start: { dialogue: 'talkCorrection', prefill: { number: talk.number, withinGrace: talk.withinGrace } } };
      },
    },
    {
      pattern: /^(?:撤回|删除)谈话\s*(TH\d{4}-\d{1,9})$/i,
      async run(turn, [number]) {
        return { say: await talkCorrections.withdraw(number, turn.person, turn.event.channel) };
      },
    },
    {
      // talk:<personId>:annual|adjusted, from a reminder card: 记录谈话 with that person filled in.
      prefix: 'talk',
      async run(_turn, [personId, kind]) {
        const talkee = await roster.person(Number(personId));
        if (!talkee || talkee.leftOn) throw new UserFacingError('这位同志已不在名册中，无需再记录。');
        const prefill = { talkees: [{ id: talkee.id, name: talkee.name }], kind: kind === 'adjusted' ? '被调整干部谈话' : '年度谈心谈话' };
        return { start: { dialogue: 'talkLog', prefill } };
      },
    },
  ];
}
