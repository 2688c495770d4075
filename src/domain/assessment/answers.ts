import type { CardButton, OutboundMessage } from '../../channels/port';
import { handlingOf, type TriggerRecord } from '../adjustment/triggerRecords';
import { causeLabel } from '../adjustment/policy';
import { promotionExtensions } from '../adjustment/triggers';
import { listTitle, type IncentiveList } from './incentiveLists';
import type { LedgerIndex } from './ledger';
import type { ZoneView } from './zoneView';

/** What each list is, in the articles' words. */
const BASIS: Record<IncentiveList['kind'], string> = {
  'winning-units': '依据《激励办法》第八条（一）：“对年度考核排序靠前的镇街园、特色园区、综合保障部门、经济服务部门，分别按照 50%、30%、20%、20%左右的比例确定为年度考核优胜单位”。',
  priority: '依据《激励办法》第九条（三）：年度考核连续3年确定为优秀等次的，优先推荐或考虑提拔使用；第九条（五）：所在村（社区）连续3年考核为优秀等次的村（社区）书记，优先推荐选任到事业岗位。',
  'health-retreat':
    '依据《激励办法》第十一条（五）：“组织机关部门、镇街园、村（社区）年度考核连续3年获得优秀等次的人员（当年参加上级健康休养人员除外）开展健康休养活动，健康休养时间不超过7天（按工作日计算，不计入年休假假期）”。',
};

function state(list: IncentiveList): string {
  if (list.confirmed?.digest === list.digest) return `已由${list.confirmed.by}于 ${list.confirmed.at.slice(0, 10)} 确认`;
  if (list.confirmed) return `已于 ${list.confirmed.at.slice(0, 10)} 确认，此后考核数据有变动，以下为按现有数据测算的建议，待重新确认`;
  return '系统测算的建议名单，待党群工作部确认';
}

/**
 * A 激励办法 list as chat shows it: whose, why (article and years), whether confirmed. 党群工作部
 * gets a button to confirm the list as shown; the digest makes the button refuse a list that has
 * changed since it was shown.
 */
export function listAnswer(list: IncentiveList, mayConfirm: boolean): OutboundMessage[] {
  const title = listTitle(list.kind, list.year);
  const lines = [`【${title}】（${state(list)}）`, BASIS[list.kind]];
  if (list.entries.length === 0) lines.push('按现有考核数据，没有符合条件的。');
  list.entries.forEach((e, i) => {
    const remaining = e.remainingDays !== undefined ? `；还可休 ${e.remainingDays} 个工作日` : '';
    lines.push(`${i + 1}. ${e.name}${e.personId !== null && e.unit ? `（${e.unit}）` : ''}：${e.reason}；${e.measure}${remaining}`);
  });
  lines.push(...list.notes);
  const messages: OutboundMessage[] = [{ kind: 'text', text: lines.join('\n') }];
  if (mayConfirm && list.entries.length > 0 && list.confirmed?.digest !== list.digest) {
    const button: CardButton = { key: `incl:${list.kind}:${list.year}:${list.digest}`, label: '确认名单', style: 'primary' };
    messages.push({
      kind: 'card',
      card: { cardId: `incl-${list.kind}-${list.year}-${list.digest}`, title: `确认${title}`, description: `共 ${list.entries.length} ${list.kind === 'winning-units' ? '个单位' : '人'}，按上面所列确认。确认后名单固定，考核数据再变动时会提示重新确认。`, buttons: [button] },
    });
  }
  return messages;
}

const STATUS: Record<TriggerRecord['status'], string> = { open: '待处理', case_opened: '已立案', dismissed: '不予立案', lapsed: '不再成立' };

/** 能上能下预警 2026: the year's 第八条 triggers and what became of them, then the 晋升年限 extensions. */
export function warningsAnswer(year: number, triggers: TriggerRecord[], ledger: LedgerIndex, zone: ZoneView, caseNumbers: Map<number, string>): string {
  const lines = [`【${year} 年能上能下预警】依据《能上能下办法》第八条，须“经组织认定不适宜担任现职的”方予调整。`];
  if (triggers.length === 0) lines.push('按现有考核数据，没有《能上能下办法》第八条所列情形。');
  for (const t of triggers) {
    const person = t.personId === null ? undefined : zone.people.get(t.personId);
    const who = person ? `${person.name}（${zone.unitName(person.unitId)}）` : zone.unitName(t.unitId ?? 0);
    const outcome = t.caseId ? `${STATUS[t.status]} ${caseNumbers.get(t.caseId) ?? ''}` : STATUS[t.status];
    lines.push(`· ${causeLabel(8, t.item)} ${who}：${t.facts}；${handlingOf(t.item, person)}。【${outcome.trim()}】`);
  }
  const extensions = promotionExtensions(year, ledger, zone);
  if (extensions.length > 0) {
    lines.push('《能上能下办法》第八条（八）晋升年限条件延长（机关企业性质人员，不需立案）：');
    for (const e of extensions) lines.push(`· ${zone.people.get(e.personId)?.name ?? ''}：${e.facts}`);
  }
  return lines.join('\n');
}
