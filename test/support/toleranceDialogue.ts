import { expect } from 'vitest';
import type { Answer, Chatter } from './chat';

export interface ApplicationChoices {
  integrated?: boolean;
  matter?: string;
  /** The number of the 风险备案 to cite; default: none. */
  filing?: string;
}

/** 杨帆-style applicant fills 申请容错 from start to the receipt. */
export async function applyForTolerance(who: Chatter, choices: ApplicationChoices = {}): Promise<Answer> {
  await who.says('申请容错');
  await who.taps('否');
  const afterMatter = await who.says(choices.matter ?? '1');
  if (afterMatter.text.includes('请简要描述被问责的事项')) await who.says('滨江项目征地补偿问题被纪工委启动问责');
  await who.says('2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。');
  const filingQuestion = await who.says('二、三');
  await who.says(choices.filing ?? /(\d+)\. 没有/.exec(filingQuestion.text)![1]);
  await who.taps(choices.integrated ? '是' : '否');
  const summary = await who.says('完成');
  expect(summary.text).toContain('请确认容错免责申请');
  return who.taps('提交');
}

/** An approver taps a decision on their newest approval card and confirms it with an opinion. */
export async function decide(who: Chatter, button: '同意' | '不同意' | '退回补充', opinion: string): Promise<Answer> {
  await who.taps(button);
  await who.says(opinion);
  return who.taps('提交');
}

/** The 纪工委 investigator walks through the 六看 and concludes. */
export async function investigate(who: Chatter, conclusion: '予以容错免责' | '不予容错免责', exemptions = '一、三'): Promise<Answer> {
  await who.taps('开始核实');
  await who.says('属于探索创新中的失误，不是有令不行。');
  await who.says('当时政策界限不明确，属先行先试。');
  await who.says('出于推进项目的公心，未谋取私利。');
  await who.says('经街道党工委会议集体研究决定。');
  await who.says('积极作为，遵循了项目推进规律。');
  await who.says('发现问题后及时补救，挽回部分损失。');
  await who.taps(conclusion);
  if (conclusion === '予以容错免责') await who.says(exemptions);
  await who.says('经调查核实，符合第五条（二）（三）情形，建议予以容错免责。');
  return who.taps('提交');
}
