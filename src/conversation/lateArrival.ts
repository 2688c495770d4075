import type { InboundEvent } from '../channels/port';
import { formatValue } from './render';
import type { AnyDialogue, Session } from './session';

const shanghaiTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** What the person sent, as they would recognise it: the first words, or the file's name. */
function gist(event: Exclude<InboundEvent, { kind: 'click' }>): string {
  if (event.kind === 'attachment') return event.mediaKind === 'image' ? '图片' : `文件“${event.fileName ?? '附件'}”`;
  const chars = [...event.text.trim()];
  return `“${chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : chars.join('')}”`;
}

function shorten(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : chars.join('');
}

/**
 * Says that a message reached the bot after one the person sent later (the platform retried it
 * once the bot could store it, and the next message had got in first): it is not applied, because
 * whatever is asked now is not what it answered. The person sees what the later message filled and
 * where the dialogue stands, and decides: send it again, or go back with 上一步 / 修改.
 */
export function lateArrivalNotice(session: Session, dialogue: AnyDialogue | undefined): string {
  const event = session.turn.event as Exclude<InboundEvent, { kind: 'click' }>;
  const at = shanghaiTime.format(new Date(event.sentAt));
  const head = `您 ${at} 发送的${gist(event)}晚到了（它之后发送的消息已先处理），未填入。`;
  const draft = session.draft;
  if (!draft || !dialogue) return `${head}如仍需要，请重新发送。`;
  const lastKey = draft.history.at(-1);
  const last = lastKey ? dialogue.steps.find((s) => s.key === lastKey) : undefined;
  const mode = draft.mode;
  const current = 'stepKey' in mode ? dialogue.steps.find((s) => s.key === mode.stepKey) : undefined;
  return [
    head,
    last ? `最近填入“${last.label}”的是：${shorten(formatValue(last, draft.values[last.key]))}` : undefined,
    current ? `当前在填写“${dialogue.title}”的“${current.label}”。` : `当前在“${dialogue.title}”的最后确认。`,
    current
      ? '如这段内容是这一步的回答，请重新发送；如之前填写的有误，请发送“上一步”返回修改。'
      : '如需更正，请回复“修改”加序号；无误请回复“提交”。',
  ]
    .filter(Boolean)
    .join('\n');
}
