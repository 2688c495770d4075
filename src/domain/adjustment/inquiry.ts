import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { TriggerRecords } from './triggerRecords';

/**
 * 我的待办 for 组织人事部门: 第八条 triggers not yet acted on. The stages of adjustment cases are
 * the workflow's, listed with every other case's (CaseInquiry).
 */
export function adjustmentInquiry(services: { roster: RosterRepository; triggers: TriggerRecords }) {
  return {
    async todo(person: Person): Promise<string[]> {
      if (!(await services.roster.holdsAnyRole(person.id, 'personnelOfficer'))) return [];
      const open = await services.triggers.open();
      if (open.length === 0) return [];
      const years = [...new Set(open.map((t) => t.year))].sort();
      const counts = years.map((y) => `${y} 年 ${open.filter((t) => t.year === y).length} 条`).join('、');
      return [`· 能上能下预警待处理：${counts}（《能上能下办法》第八条），发送“能上能下预警 ${years.at(-1)}”查看`];
    },
  };
}
