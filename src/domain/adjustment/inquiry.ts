import type { Inquiry } from '../../conversation/engine';
import type { Services } from '../../services';
import { stageOf } from './definition';
import { causeLabel } from './policy';

/** 我的待办 for 组织人事部门: 第八条 triggers not yet acted on, and adjustment cases waiting for their next stage. */
export function adjustmentInquiry(services: Pick<Services, 'roster' | 'triggers' | 'adjustmentCases'>): Inquiry {
  return {
    async todo(person) {
      if (!(await services.roster.holdsAnyRole(person.id, 'personnelOfficer'))) return [];
      const lines: string[] = [];
      const open = await services.triggers.open();
      if (open.length > 0) {
        const items = [...new Set(open.map((t) => causeLabel(8, t.item)))].join('、');
        lines.push(`· 能上能下预警 ${open.length} 条待处理（《能上能下办法》${items}），发送“能上能下预警 ${open[0].year}”查看`);
      }
      for (const c of await services.adjustmentCases.records.open()) {
        const cadre = await services.roster.person(c.personId);
        if (c.stage !== 'done') lines.push(`· ${c.number} ${cadre?.name ?? ''}：待${stageOf(c.stage).title}（发送“查看调整 ${c.number}”）`);
      }
      return lines;
    },
  };
}
