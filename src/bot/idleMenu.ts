import type { OutboundMessage } from '../channels/port';
import type { TurnHandler } from './turn';

const OFFERINGS = [
  { key: 'menu:tolerance', label: '申请容错', about: '容错免责申请（《容错细则》第五、六条）' },
  { key: 'menu:filing', label: '风险备案', about: '改革创新风险备案（《容错细则》第六条（二））' },
  { key: 'menu:talk', label: '记录谈话', about: '谈心谈话记录与年度进度（《激励办法》第十一条（四））' },
  { key: 'menu:todo', label: '我的待办', about: '等待我审批的事项' },
];

export function idleMenu(cardId: string, name: string): OutboundMessage {
  return {
    kind: 'card',
    card: {
      cardId,
      title: `${name}，您好！我是“担当”助手`,
      description: ['我可以帮您办理：', ...OFFERINGS.map((o, i) => `${i + 1}. ${o.about}`)].join('\n'),
      buttons: OFFERINGS.map(({ key, label }) => ({ key, label })),
    },
  };
}

/** What the bot answers before the dialogues are built: the menu, and an honest "not yet". */
export const idleMenuHandler: TurnHandler = async (turn) => {
  const { event } = turn;
  if (event.kind === 'click') {
    const offering = OFFERINGS.find((o) => o.key === event.action);
    turn.reply({
      kind: 'text',
      text: offering ? `“${offering.label}”功能正在建设中，上线后会在这里直接办理。` : '这个按钮已失效，请发送“菜单”重新开始。',
    });
    return;
  }
  turn.reply(idleMenu(`menu-${event.channel}-${event.messageId}`, turn.person.name));
};
