import { expect } from 'vitest';
import type { Chatter } from './chat';

/** 杨帆 files 风险备案 for his 内设机构, from the trigger to the receipt. */
export async function fileRisk(who: Chatter, integrated = false, cityLevel = false) {
  const first = await who.says('风险备案');
  expect(first.text).toContain('附件2');
  await who.says('1');
  await who.says('企业服务“容缺受理”试点');
  await who.says('对重点项目前期手续实行容缺受理，先受理后补件，缩短项目落地时间约30天。');
  await who.says('省营商环境条例鼓励容缺受理，上级没有明令禁止。');
  await who.says('1. 补件不到位的风险；应对：签订承诺书并限期补齐。');
  await who.says('2026-11-20');
  expect((await who.sends('党组织会议纪要.pdf')).text).toContain('已收到第 1 个附件');
  await who.says('完成');
  await who.says('2026-12-01');
  await who.says('2027-06-30');
  expect((await who.taps('否')).text).toContain('批准权限是否属市级层面'); // no 市管干部 involved
  const afterCityLevel = await who.taps(cityLevel ? '是' : '否');
  if (!cityLevel) {
    expect(afterCityLevel.text).toContain('八个一体化');
    await who.taps(integrated ? '是' : '否');
  }
  const summary = await who.says('完成');
  // WeCom's chatter sends a picture, the simulator a named file.
  expect(summary.text).toMatch(/7\. 集体讨论会议纪要：1\. (党组织会议纪要\.pdf|图片)/);
  return who.taps('提交');
}

/** A 集体会审 participant gives an opinion on the card they were sent. */
export async function giveReview(who: Chatter, opinion: string) {
  await who.taps('提出会审意见');
  await who.taps('同意');
  await who.says(opinion);
  return who.taps('提交');
}
