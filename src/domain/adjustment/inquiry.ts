import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AdjustmentCases } from './adjustmentCases';
import { stageOf } from './definition';
import type { TriggerRecords } from './triggerRecords';

/** 我的待办 for 组织人事部门: 第八条 triggers not yet acted on, and adjustment cases waiting for their next stage. */
export function adjustmentInquiry(services: { roster: RosterRepository; triggers: TriggerRecords; adjustmentCases: AdjustmentCases }) {
  return {
    async todo(person: Person): Promise<string[]> {
      if (!(await services.roster.holdsAnyRole(person.id, 'personnelOfficer'))) return [];
      const lines: string[] = [];
      const open = await services.triggers.open();
      if (open.length > 0) {
        const years = [...new Set(open.map((t) => t.year))].sort();
        const counts = years.map((y) => `${y} 年 ${open.filter((t) => t.year === y).length} 条`).join('、');
        lines.push(`· 能上能下预警待处理：${counts}（《能上能下办法》第八条），发送“能上能下预警 ${years.at(-1)}”查看`);
      }
      for (const c of await services.adjustmentCases.records.open()) {
        const cadre = await services.roster.person(c.personId);
        if (c.stage !== 'done') lines.push(`· ${c.number} ${cadre?.name ?? ''}：待${stageOf(c.stage).title}（发送“查看调整 ${c.number}”）`);
      }
      return lines;
    },
  };
}
