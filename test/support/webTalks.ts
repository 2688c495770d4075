import type { WebStack } from './webStack';

/**
 * Talks for the console to show: 刘洋 has held half of this year's talks he owes, 曹国庆 one with 邓丽.
 * Who is owed what comes from the quota rules themselves, not from a list here.
 */
export async function recordSampleTalks(stack: WebStack): Promise<void> {
  const { roster, talks, quotas } = stack.bot.services;
  const person = async (code: string) => (await roster.personByCode(code))!;
  const report = await quotas.compute(2026, '2026-11-27');
  const liuyang = await person('P012');
  const owed = [...new Set(report.obligations.filter((o) => o.talkerId === liuyang.id).map((o) => o.talkeeId))];
  let n = 0;
  const record = (talkerId: number, talkeeId: number, talkedOn: string, summary: string) =>
    talks.record({
      draftKey: `sample-${++n}`, talkerId, talkeeIds: [talkeeId], talkedOn, kind: '年度谈心谈话', place: '办公室',
      topics: ['思想状况', '工作作风'], summary, issuesRaised: null, followUps: null, channel: 'simulator',
    });
  for (const talkeeId of owed.slice(0, Math.ceil(owed.length / 2))) await record(liuyang.id, talkeeId, '2026-09-10', '交流了项目推进中的思想顾虑。');
  await record((await person('P028')).id, (await person('P029')).id, '2026-10-15', '与邓丽交流了村务监督工作的思想顾虑。');
}
