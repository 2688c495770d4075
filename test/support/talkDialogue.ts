import type { Chatter } from './chat';

/** Answers every step of 记录谈话 up to its summary card. */
export async function fillToSummary(who: Chatter): Promise<void> {
  await who.says('记录谈话');
  await who.says('杨帆');
  await who.says('2026-11-20');
  await who.says('局长办公室');
  await who.says('1');
  await who.says('1,2');
  await who.says('交流了综合科年度工作总结的安排和个人思想状况。');
  await who.says('跳过');
  await who.says('跳过');
}
