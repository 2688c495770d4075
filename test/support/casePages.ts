import { taskIdOf } from '../../src/channels/wecom/messages';
import { stageCardId } from '../../src/domain/workflow/cards';
import { cardClickXml, postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { settle } from './chatters/base';
import type { WebStack } from './webStack';

/** A phone's WeCom in-app browser, as its user agent says. */
export const WECOM_APP = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh';

/**
 * 杨帆 (综合科科长, P014) applies for 容错免责 as the dialogue would, with two files; the case's
 * first stage waits on 刘洋 (经济发展局, WeCom liuyang), whose card has gone out over the fake WeCom.
 */
export async function fileToleranceCase(stack: WebStack, draftKey = 'draft-page-1'): Promise<{ number: string; caseId: number; stageId: number }> {
  const { services, roster } = stack.bot;
  const applicant = (await roster.personByCode('P014'))!;
  const { record } = await services.tolerance.apply({
    draftKey,
    applicant,
    matterId: null,
    matterText: '滨江项目征地补偿问题被纪工委启动问责',
    reason: '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。',
    situations: [1, 2],
    otherSituation: null,
    handedDown: false,
    involvesCityCadre: false,
    integrated: false,
    filingId: null,
    attachments: [
      { channel: 'wecom', mediaKind: 'file', mediaId: 'media-1', fileName: '补偿协议.pdf', receivedAt: stack.clock.now().toISOString() },
      { channel: 'wecom', mediaKind: 'image', mediaId: 'media-2', receivedAt: stack.clock.now().toISOString() },
    ],
    channel: 'wecom',
  });
  await settle(stack.bot);
  const [stage] = (await stack.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [record.id])) as { id: number }[];
  return { number: record.number, caseId: record.id, stageId: Number(stage.id) };
}

/** A WeCom member taps a button on the card of `stageId` (a real signed, encrypted callback); settles the bot. */
export async function tapStageCard(stack: WebStack, userid: string, stageId: number, op: string): Promise<void> {
  const t = Math.floor(stack.clock.now().getTime() / 1000);
  const xml = cardClickXml({ from: userid, createTime: t, eventKey: `wfs:${stageId}:${op}`, taskId: taskIdOf(stageCardId({ id: stageId })), responseCode: `tap-${stageId}-${op}-${t}` });
  const answer = await postCallback(stack.url, seal(xml, { timestamp: t }));
  if (answer.status !== 200) throw new Error(`the card click was answered ${answer.status}`);
  await settle(stack.bot);
}

let messages = 0;

/** A WeCom member types `text` to the bot (a real signed, encrypted callback); settles the bot. */
export async function saysInWecom(stack: WebStack, userid: string, text: string): Promise<void> {
  stack.clock.advance(1000);
  const t = Math.floor(stack.clock.now().getTime() / 1000);
  const answer = await postCallback(stack.url, seal(textXml({ from: userid, text, msgId: `${7_400_000_000 + ++messages}`, createTime: t }), { timestamp: t }));
  if (answer.status !== 200) throw new Error(`the message was answered ${answer.status}`);
  await settle(stack.bot);
}

/** What the fake WeCom was asked to tell `userid` in text, in order. */
export const textsTo = (stack: WebStack, userid: string): string[] =>
  stack.wecom
    .delivered()
    .filter((b) => b.touser === userid && b.msgtype === 'text')
    .map((b) => (b.text as { content: string }).content);
