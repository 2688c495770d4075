import type { Action } from '../conversation/engine';
import { ruleWords } from '../domain/talks/quotaRules';
import type { Services } from '../services';

/** 查看谈话频次: the units with a 谈心谈话 frequency of their own. Anyone may read it: it is what leaders owe. */
export function quotaRuleActions(services: Services): Action[] {
  return [
    {
      pattern: /^(?:查看)?谈话频次$/,
      async run() {
        const rules = await services.quotaRules.list();
        return {
          say: [
            '【谈心谈话频次】《激励办法》第十一条（四）规定每年至少谈心谈话1次。',
            ...(rules.length === 0
              ? ['目前没有单位另行规定，全部按每年至少 1 次。']
              : [
                  '以下单位另有规定，适用于该单位及其下属单位（下级单位自己的规定优先）：',
                  ...rules.map((r) => `· ${r.unit.name}（${r.unit.code}）：${ruleWords(r.rule)}`),
                  '其他单位按每年至少 1 次。',
                ]),
            '党群工作部可发送“设置谈话频次”修改。',
          ].join('\n'),
        };
      },
    },
  ];
}
