import type { Answer, Chat, Chatter } from '../support/chat';
import { decide, investigate } from '../support/toleranceDialogue';

/**
 * Real cases for the document tests, made the way cadres make them: through the simulator chat.
 * The application is answered by what each prompt asks, so a step added to the dialogue does not
 * silently shift the answers (an unknown prompt fails loudly instead).
 */

export interface Application {
  /** As typed in chat, e.g. “二、三”. */
  situations: string;
  otherSituation?: string;
  integrated?: boolean;
  reason?: string;
  /** Describe the 问责事项 (when none is open for the applicant, or to skip an open one). */
  matterText?: string;
}

/** The question asked last: its message, and the one before when the question ends in a card (“请选择：…”). */
const last = (a: Answer): string => {
  const asked = a.messages.at(-1)?.card ? a.messages.slice(-2) : a.messages.slice(-1);
  return asked.flatMap((m) => [m.text, m.markdown, m.card?.title, m.card?.description]).filter(Boolean).join('\n');
};

/** 申请容错 from the first message to the receipt; returns the case number. */
export async function apply(who: Chatter, a: Application): Promise<string> {
  let answer = await who.says('申请容错');
  for (let turn = 0; turn < 20; turn++) {
    const prompt = last(answer);
    const receipt = /已提交容错免责申请，编号 (RC\d{4}-\d{4})/.exec(answer.text);
    if (receipt) return receipt[1];
    // The confirmation repeats every answer, so it is recognised before any single question.
    if (prompt.includes('请确认容错免责申请')) answer = await who.taps('提交');
    else if (prompt.includes('上级党组织、纪检监察机关交办')) answer = await who.taps('否');
    else if (prompt.includes('是否涉及市管干部')) answer = await who.taps('否');
    else if (prompt.includes('针对哪一项问责事项')) {
      const other = /(\d+)\. 其他/.exec(prompt)![1];
      answer = await who.says(a.matterText ? other : '1');
    } else if (prompt.includes('请简要描述被问责的事项')) answer = await who.says(a.matterText ?? '滨江项目征地补偿问题被纪工委启动问责');
    else if (prompt.includes('请说明申请事由')) {
      answer = await who.says(a.reason ?? '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。');
    } else if (prompt.includes('第五条的哪几种情形')) answer = await who.says(a.situations);
    else if (prompt.includes('其他可容错的情形，请具体说明')) answer = await who.says(a.otherSituation ?? '为保障企业按期投产，在手续未齐全时先行协调供电。');
    else if (prompt.includes('改革创新风险备案')) answer = await who.says(/(\d+)\. 没有/.exec(prompt)![1]);
    else if (prompt.includes('八个一体化')) answer = await who.taps(a.integrated ? '是' : '否');
    else if (prompt.includes('证明材料')) answer = await who.says('完成');
    else throw new Error(`unexpected prompt while applying for 容错:\n${answer.text}`);
  }
  throw new Error('the 申请容错 dialogue did not end');
}

/** 启动问责 by a 纪工委 member against one person, as in the e2e test. */
export async function openMatter(by: Chatter, personName: string, summary: string): Promise<void> {
  await by.says('启动问责');
  await by.taps('个人');
  await by.says(personName);
  await by.says(summary);
  await by.taps('今天');
  await by.taps('提交');
}

/** The applicant answers a 退回补充. */
export async function supplement(who: Chatter, text: string): Promise<void> {
  await who.taps('补充材料');
  await who.says(text);
  await who.says('完成');
  await who.taps('提交');
}

/** 办结 the 报备市纪委监委 task of a case. */
export async function reportToCity(who: Chatter, number: string, note: string): Promise<void> {
  const todo = await who.says('我的待办');
  const id = new RegExp(`${number} 待办 #(\\d+)：报备市纪委监委`).exec(todo.text)![1];
  await who.says(`办结 ${id}`);
  await who.says(note);
  await who.taps('提交');
}

/** 撤销容错 under 第十条 (reason 1–4). */
export async function revoke(who: Chatter, number: string, reason: string, description: string): Promise<void> {
  await who.says('撤销容错');
  await who.says(number);
  await who.says(reason);
  await who.says(description);
  await who.taps('提交');
}

export const caseId = async (chat: Chat, number: string): Promise<number> =>
  Number(((await chat.db.query('SELECT id FROM cases WHERE number = ?', [number])) as { id: number }[])[0].id);

export { decide, investigate };

// ---------------------------------------------------------------------------------------------
// 改革创新风险备案, as in test/e2e/filing.simulator.test.ts.

export const FILING = {
  title: '企业服务“容缺受理”试点',
  reason: '对重点项目前期手续实行容缺受理，先受理后补件，缩短项目落地时间约30天。',
  policyBasis: '省营商环境条例鼓励容缺受理，上级没有明令禁止。',
  risks: '1. 补件不到位的风险；应对：签订承诺书并限期补齐。',
  discussedOn: '2026-11-20',
  periodStart: '2026-12-01',
  periodEnd: '2027-06-30',
};

/** 风险备案 from the first message to the receipt, for the filer's first unit; returns the number. */
export async function fileRisk(who: Chatter, options: { integrated?: boolean; title?: string; cityCadre?: boolean; cityLevel?: boolean } = {}): Promise<string> {
  await who.says('风险备案');
  await who.says('1');
  await who.says(options.title ?? FILING.title);
  await who.says(FILING.reason);
  await who.says(FILING.policyBasis);
  await who.says(FILING.risks);
  await who.says(FILING.discussedOn);
  await who.sends('党组织会议纪要.pdf');
  await who.says('完成');
  await who.says(FILING.periodStart);
  await who.says(FILING.periodEnd);
  await who.taps(options.cityCadre ? '是' : '否');
  if (!options.cityCadre) await who.taps(options.cityLevel ? '是' : '否');
  if (!options.cityCadre && !options.cityLevel) await who.taps(options.integrated ? '是' : '否');
  await who.says('完成');
  const receipt = await who.taps('提交');
  const number = /已提交改革创新风险备案，编号 (FB\d{4}-\d{4})/.exec(receipt.text);
  if (!number) throw new Error(`no filing receipt:\n${receipt.text}`);
  return number[1];
}

export interface ReviewGiven {
  who: Chatter;
  name: string;
  stance: '同意' | '有条件同意' | '不同意';
  opinion: string;
}

/** The 纪（工）委's 认定意见 on a filing after its 集体会审. */
export async function findFiling(who: Chatter, verdict: '同意备案' | '不予备案', opinion: string): Promise<Answer> {
  await who.taps('提出认定意见');
  await who.taps(verdict);
  await who.says(opinion);
  return who.taps('提交');
}

/** 集体会审: the 纪工委 coordinator asks the participants, each answers, then the joint opinion is recorded. */
export async function jointReview(coordinator: Chatter, reviews: ReviewGiven[], joint: string): Promise<void> {
  await coordinator.taps('组织集体会审');
  await coordinator.says(reviews.map((r) => r.name).join('、'));
  await coordinator.taps('提交');
  for (const r of reviews) {
    await r.who.taps('提出会审意见');
    await r.who.taps(r.stance);
    await r.who.says(r.opinion);
    await r.who.taps('提交');
  }
  await decide(coordinator, '同意', joint);
}

/** 办结 the open task of `number` whose title starts with `title`, answering a plain note. */
export async function completeTask(who: Chatter, number: string, title: string, note: string): Promise<void> {
  const todo = await who.says('我的待办');
  const id = new RegExp(`${number} 待办 #(\\d+)：${title}`).exec(todo.text)?.[1];
  if (!id) throw new Error(`no “${title}” task of ${number} for ${who.code}:\n${todo.text}`);
  await who.says(`办结 ${id}`);
  await who.says(note);
  await who.taps('提交');
}
