import { expect } from 'vitest';
import type { Answer, Chatter } from './chat';

export interface ApplicationChoices {
  integrated?: boolean;
  matter?: string;
  /** The number of the 风险备案 to cite; default: none. */
  filing?: string;
  /** 上级党组织、纪检监察机关交办的问题线索、信访件: the city path. */
  handedDown?: boolean;
  /** The matter involves a 市管干部 the applicant names: the city path. */
  cityCadre?: boolean;
  /** Sends the 证明材料 at their step, before 完成. */
  attach?: (who: Chatter) => Promise<void>;
}

/** 杨帆-style applicant fills 申请容错 from start to the receipt. */
export async function applyForTolerance(who: Chatter, choices: ApplicationChoices = {}): Promise<Answer> {
  await who.says('申请容错');
  await who.taps(choices.handedDown ? '是' : '否');
  const afterMatter = await who.says(choices.matter ?? '1');
  if (afterMatter.text.includes('请简要描述被问责的事项')) await who.says('滨江项目征地补偿问题被纪工委启动问责');
  if (!choices.handedDown) await who.taps(choices.cityCadre ? '是' : '否');
  await who.says('2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。');
  const filingQuestion = await who.says('二、三');
  const integratedQuestion = await who.says(choices.filing ?? /(\d+)\. 没有/.exec(filingQuestion.text)![1]);
  if (integratedQuestion.text.includes('八个一体化')) await who.taps(choices.integrated ? '是' : '否');
  await choices.attach?.(who);
  const summary = await who.says('完成');
  expect(summary.text).toContain('请确认容错免责申请');
  return who.taps('提交');
}

/**
 * An approver taps a decision on their newest card and confirms it with an opinion. On an
 * approval of a finding that grants, `amend` (e.g. “一、二”) changes the outcomes; otherwise they are kept.
 */
export async function decide(who: Chatter, button: '同意' | '不同意' | '退回补充', opinion: string, amend?: string): Promise<Answer> {
  const asked = await who.taps(button);
  if (asked.text.includes('是否调整纪（工）委建议的处理方式')) {
    if (amend) {
      await who.taps('是');
      await who.says(amend);
    } else {
      await who.taps('否');
    }
  }
  await who.says(opinion);
  return who.taps('提交');
}

export type Verdict = '予以容错免责' | '部分容错免责' | '不予容错免责';

/** The 纪工委 investigator walks through the 六看 and concludes. */
export async function investigate(who: Chatter, conclusion: Verdict, exemptions = '一、三', opinion = '经调查核实，符合第五条（二）（三）情形，建议予以容错免责。'): Promise<Answer> {
  await who.taps('开始核实');
  await who.says('属于探索创新中的失误，不是有令不行。');
  await who.says('当时政策界限不明确，属先行先试。');
  await who.says('出于推进项目的公心，未谋取私利。');
  await who.says('经街道党工委会议集体研究决定。');
  await who.says('积极作为，遵循了项目推进规律。');
  await who.says('发现问题后及时补救，挽回部分损失。');
  await who.taps(conclusion);
  if (conclusion !== '不予容错免责') await who.says(exemptions);
  if (conclusion === '部分容错免责') await who.says('提前签约部分予以容错免责，未履行集体决策程序部分不予。');
  await who.says(opinion);
  return who.taps('提交');
}

/** 集体研究: the 党（工）委 head records the meeting, its 明确意见 and minutes. */
export async function recordMeeting(who: Chatter, verdict: string, outcomes = '一、三'): Promise<Answer> {
  await who.taps('登记集体研究');
  await who.taps('今天');
  await who.says('陈建国、李明华、周志强、吴海燕');
  await who.taps(verdict);
  if (!verdict.startsWith('不予') && outcomes) await who.says(outcomes);
  if (verdict.startsWith('部分')) await who.says('提前签约部分予以，其余不予。');
  await who.says('经党工委集体研究，同意纪工委调查核实意见，呈报市纪委监委。');
  await who.sends('党工委会议纪要.pdf');
  await who.says('完成');
  return who.taps('提交');
}

/** 签署: the 开发区党工委主要负责人 signs an opinion. */
export async function sign(who: Chatter, opinion: string): Promise<Answer> {
  await who.taps('签署意见');
  await who.says(opinion);
  return who.taps('提交');
}

/** 呈报: the 纪工委 records the submission to the 市纪委监委. */
export async function recordSubmission(who: Chatter, documentNumber: string): Promise<Answer> {
  await who.taps('登记呈报');
  await who.taps('今天');
  await who.says(documentNumber);
  await who.says('跳过');
  await who.says('完成');
  return who.taps('提交');
}

/** The 市纪委监委's answer, recorded by the 纪工委. */
export async function recordAnswer(who: Chatter, documentNumber: string, verdict: string, outcomes = '一、三'): Promise<Answer> {
  await who.taps('登记答复');
  await who.taps('今天');
  await who.says(documentNumber);
  await who.taps(verdict);
  if (!verdict.startsWith('不予') && outcomes) await who.says(outcomes);
  if (verdict.startsWith('部分')) await who.says('提前签约部分予以容错免责，其余不予。');
  await who.says('经研究，同意开发区党工委意见。');
  await who.says('完成');
  return who.taps('提交');
}
