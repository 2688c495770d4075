import { answerOf, dialogue, step } from '../src/conversation/dialogue';
import { choice, wholeNumber } from '../src/conversation/fields/basic';
import { unit } from '../src/conversation/fields/units';
import { formatQuotaRulesReport, MOST_PER_YEAR, ruleWords } from '../src/domain/talks/quotaRules';
import { PERIOD_MONTHS, PERIOD_WORDS, TALK_PERIODS, type TalkPeriod } from '../src/domain/talks/settings';
import { UserFacingError } from '../src/errors';
import { SheetImportError } from '../src/imports/sheetFile';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

const REMOVE = '取消本单位规定';
const PERIODS = TALK_PERIODS.map((p) => PERIOD_WORDS[p]);
const periodOf = (word: string | null | undefined) => TALK_PERIODS.find((p) => PERIOD_WORDS[p] === word);

const unitStep = step('unit', '单位', unit('哪个单位？请输入单位名称。'));
const periodStep = step('period', '周期', {
  ...choice('多长时间至少谈一轮？', [...PERIODS, REMOVE]),
  async listing(ctx) {
    const chosen = answerOf(ctx.values, unitStep);
    return chosen && `${chosen.name}现在：${ruleWords(await ctx.services.quotaRules.ruleOf(chosen.id))}。`;
  },
});

/**
 * 设置谈话频次: 党群工作部 sets how often the leaders of a unit (and of the units below it) talk
 * with each cadre they owe a talk. 《激励办法》第十一条（四） asks at least once a year; a unit may
 * ask more. The quotas, reminders and progress follow from the next computation on.
 */
export const talkQuotaRule = dialogue<Services>()({
  name: 'talkQuotaRule',
  version: 1,
  title: '谈心谈话频次设置',
  triggers: ['设置谈话频次', '谈话频次设置'],
  refuse: onlyFor('partyAffairsAdmin', '谈心谈话频次由党群工作部设置。您可以发送“查看谈话频次”查看各单位的规定。'),
  intro:
    '好的，设置一个单位的谈心谈话频次。《激励办法》第十一条（四）规定每年至少谈心谈话1次；单位可以要求更多，' +
    '规定适用于该单位及其下属单位（下级单位自己的规定优先）。',

  steps: [
    unitStep,
    periodStep,
    step(
      'times',
      '每个周期至少',
      wholeNumber('每个周期至少谈几次？', {
        min: 1,
        max: MOST_PER_YEAR,
        check: (n, values) => {
          const period = periodOf(answerOf(values, periodStep));
          const yearly = period ? (n * 12) / PERIOD_MONTHS[period] : 0;
          return period && yearly > MOST_PER_YEAR ? `${PERIOD_WORDS[period]} ${n} 次即每年 ${yearly} 次，多于每月 1 次，请核对。` : undefined;
        },
      }),
      { when: (values) => values.period !== REMOVE },
    ),
  ],

  async submit(values, { person, channel, services }) {
    const target = values.unit;
    const period: TalkPeriod | undefined = periodOf(values.period);
    const rule = period && values.times !== null ? { period, times: values.times } : null;
    const report = await services.quotaRules.apply([{ unitId: target.id, rule, row: '聊天' }], { actor: person, channel, source: '聊天' }).catch((error: unknown) => {
      throw error instanceof SheetImportError ? new UserFacingError(error.message) : error;
    });
    return { recordRef: `${target.name}谈话频次`, receipt: [{ kind: 'text', text: formatQuotaRulesReport(report) }] };
  },
});
