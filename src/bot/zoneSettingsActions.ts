import type { Action } from '../conversation/engine';
import { describeIntegratedMatters, INTEGRATED_LIMITS, parseMatterList } from '../domain/zone/zoneSettings';
import type { Services } from '../services';

const HOW_TO_SET = `党群工作部可发送“设置八个一体化 事项一、事项二……”修改（最多 ${INTEGRATED_LIMITS.most} 项，用顿号或换行隔开）。`;

/** 查看 / 设置八个一体化: the zone's list of “八个一体化” matters, read by anyone, set by 党群工作部. */
export function zoneSettingsActions(services: Services): Action[] {
  return [
    {
      pattern: /^(?:查看)?(?:“|")?八个一体化(?:”|")?(?:事项)?(?:清单)?$/,
      async run() {
        return { say: `${describeIntegratedMatters(await services.zoneSettings.integratedMatters())}\n${HOW_TO_SET}` };
      },
    },
    {
      pattern: /^设置(?:“|")?八个一体化(?:”|")?(?:事项)?(?:清单)?[\s:：]*([\s\S]*)$/,
      async run(turn, [list]) {
        const matters = parseMatterList(list);
        if (matters.length === 0) return { say: `请在命令后写上清单。${HOW_TO_SET}` };
        const saved = await services.zoneSettings.setIntegratedMatters(turn.person, matters, turn.event.channel);
        return { say: `已更新。${describeIntegratedMatters(saved)}\n之后提出的申请和备案按新清单询问；已提交的不受影响。` };
      },
    },
  ];
}
