import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderCaseDocument } from '../../src/documents/render';
import { docxPart, tableRows } from '../documents/docText';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, recordBefore, type Channel, type Chat, type Chatter } from '../support/chat';
import { fileRisk, giveReview } from '../support/filingDialogue';
import { applyForTolerance, decide, recordAnswer, recordMeeting, recordSubmission } from '../support/toleranceDialogue';
import { selectOpened } from '../../src/storage/confidential';

const filingRow = async (chat: Chat) => (await selectOpened<Record<string, string>>(chat.db, 'cases', `SELECT * FROM cases WHERE kind = 'filing'`))[0];
const stageKeys = async (chat: Chat) =>
  (await chat.db.query(`SELECT s.stage_key FROM case_stages s JOIN cases c ON c.id = s.case_id WHERE c.kind = 'filing' ORDER BY s.seq`)).map(
    (r: { stage_key: string }) => r.stage_key,
  );

const channels: Channel[] = ['simulator', 'wecom'];
const runs = databaseBackends.flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('改革创新风险备案 end to end over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长: files for his 内设机构
  let liuYang: Chatter; // 经济发展局局长: 备案单位意见
  let liMinghua: Chatter; // 分管领导 of 经济发展局
  let wuHaiyan: Chatter; // 纪工委书记: leads the 集体会审
  let chenJianguo: Chatter; // 基层党委 and 开发区党工委

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0], {}, channel);
    [yangFan, liuYang, liMinghua, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P002', 'P009', 'P001'].map((c) => chat.as(c));
  });
  afterEach(async () => chat.close());

  async function throughJointReview() {
    await decide(liuYang, '同意', '经局党组集体讨论，同意备案。');
    await decide(liMinghua, '同意', '同意。');
    expect(wuHaiyan.lastCard()!.buttons.map((b) => b.label)).toEqual(['组织集体会审', '退回补充']);
    const setupCard = wuHaiyan.lastCard()!;
    const early = await wuHaiyan.tapsOn(setupCard.cardId, setupCard.buttons[0].key.replace(':setup', ':approve'));
    expect(early.text).toContain('集体会审意见尚未到齐');

    await wuHaiyan.taps('组织集体会审');
    await wuHaiyan.says('钱志刚、胡斌、马骏');
    expect((await wuHaiyan.taps('提交')).text).toContain('已请 钱志刚、胡斌、马骏 对');
    await giveReview(chat.as('P007'), '组织人事方面无意见。');
    await giveReview(chat.as('P018'), '规划建设方面同意，注意用地手续。');
    expect(wuHaiyan.lastCard()!.title).not.toContain('会审意见已齐');
    await giveReview(chat.as('P016'), '项目科同意。');
    const allIn = wuHaiyan.lastCard()!;
    expect(allIn.title).toContain('会审意见已齐');
    expect(wuHaiyan.transcript().at(-2)!.text).toContain('会审意见（3/3）');
    expect(wuHaiyan.transcript().at(-2)!.text).toContain('胡斌：同意。规划建设方面同意，注意用地手续。');
    await decide(wuHaiyan, '同意', '经集体会审，同意备案。');
    expect(wuHaiyan.lastCard()!.buttons.map((b) => b.label)).toEqual(['提出认定意见', '退回补充']);
    await wuHaiyan.taps('提出认定意见');
    await wuHaiyan.taps('同意备案');
    await wuHaiyan.says('认定为上级尚无明确限制的探索性试验，同意备案。');
    await wuHaiyan.taps('提交');
  }

  it('takes a filing through every stage, keeps it in force for its period, and collects the result report and 绩效评价', async () => {
    expect((await fileRisk(yangFan)).text).toMatch(/已提交改革创新风险备案，编号 FB2026-\d{4}/);
    await throughJointReview();
    await decide(chenJianguo, '同意', '同意备案。');

    const filing = await filingRow(chat);
    expect(filing.status).toBe('granted');
    expect(await stageKeys(chat)).toEqual(['unit', 'supervisor', 'review', 'discipline', 'committee']);
    const [review] = await selectOpened<{ findings: string }>(chat.db, 'case_stages', `SELECT findings FROM case_stages WHERE stage_key = 'review'`);
    expect(JSON.parse(review.findings).reviews).toHaveLength(3);
    // The 回复 goes to the applying unit's party organisation (its 主要负责人) as well as the filer.
    const [reply] = await chat.db.query('SELECT number, title FROM case_replies');
    expect(reply.title).toBe('回复');
    for (const who of [yangFan, liuYang]) {
      expect(who.transcript().some((m) => m.text?.startsWith(`【回复】${filing.number} 改革创新风险备案（杨帆）：同意备案。\n回复编号 ${reply.number}，2026-11-27 作出。`))).toBe(true);
    }

    chat.clock.set(new Date('2026-12-15T02:00:00Z'));
    const lookup = await wuHaiyan.says('查询备案 综合科');
    expect(lookup.text).toContain(`${filing.number} 综合科：企业服务“容缺受理”试点`);
    expect(lookup.text).toContain('【备案有效期内】依据《容错细则》第六条（二）4');
    expect(lookup.text).toContain('一般暂缓调查');
    expect((await yangFan.says('查询备案 综合科')).text).toContain('备案查询仅限');

    chat.clock.set(new Date('2027-07-01T02:00:00Z'));
    expect((await wuHaiyan.says('查询备案 综合科')).text).toContain('已备案（不在实施期内）');
    const todo = await yangFan.says('我的待办');
    expect(todo.text).toContain('实施结束后向党（工）委报告结果，依据《容错细则》第六条（二）5，实施期限届满 2027-06-30 后办理');
    const taskId = /待办 #(\d+)：实施结束后/.exec(todo.text)![1];
    await yangFan.says(`办结 ${taskId}`);
    await yangFan.taps('是');
    await yangFan.taps('否');
    await yangFan.says('试点期间办理容缺受理项目12个，平均缩短32天，全部按期补齐材料。');
    await yangFan.says('完成');
    expect((await yangFan.taps('提交')).text).toContain('已办结');
    const evaluationTask = /待办 #(\d+)：对实施结果进行绩效评价/.exec((await chenJianguo.says('我的待办')).text)![1];
    await chenJianguo.says(`办结 ${evaluationTask}`);
    await chenJianguo.taps('好');
    await chenJianguo.says('试点成效明显，无危害结果，建议推广。');
    await chenJianguo.taps('提交');
    const done = await filingRow(chat);
    expect(JSON.parse(done.form).resultReport).toMatchObject({ solvedProblem: true, harmOccurred: false });
    expect(JSON.parse(done.form).evaluation).toMatchObject({ rating: '好' });
  });

  it('adds the 开发区党工委 stage for an 八个一体化 filing', async () => {
    await fileRisk(yangFan, true);
    await throughJointReview();
    await decide(chenJianguo, '同意', '同意，报开发区党工委。');
    expect((await filingRow(chat)).status).toBe('in_review');
    await decide(chenJianguo, '同意', '同意。');
    expect((await filingRow(chat)).status).toBe('granted');
    expect(await stageKeys(chat)).toEqual(['unit', 'supervisor', 'review', 'discipline', 'committee', 'zone']);
  });

  it('records the 分管领导’s 不同意 and takes the filing on to the 集体会审, which sees it', async () => {
    await fileRisk(yangFan);
    await decide(liuYang, '同意', '同意。');
    await decide(liMinghua, '不同意', '方案不成熟，暂缓。');
    expect((await filingRow(chat)).status).toBe('in_review');
    expect(yangFan.transcript().at(-1)!.text).toContain('方案不成熟，暂缓。');
    const card = wuHaiyan.lastCard()!;
    expect(card.title).toBe('改革创新风险备案待您审批：会审意见');
    expect(recordBefore(wuHaiyan, card.cardId)).toContain('分管领导意见｜李明华｜2026-11-27\n   不同意。方案不成熟，暂缓。');
  });

  it('takes a city-level filing through the 党（工）委会集体研究 and the 开发区 head to the 市纪委监委, and replies with its answer', async () => {
    const receipt = await fileRisk(yangFan, false, true);
    expect(receipt.text).toContain('本备案按“市级层面或重大事项”办理（批准权限属市级层面或属重大事项）');
    expect(receipt.text).toContain('以开发区党工委、管委会为申请主体，呈报市纪委监委');
    await throughJointReview();
    expect(chenJianguo.lastCard()!.title).toBe('改革创新风险备案待您办理：党（工）委会集体研究');
    await recordMeeting(chenJianguo, '同意备案');
    expect(chenJianguo.lastCard()!.title).toBe('改革创新风险备案待您审批：开发区党工委意见');
    await decide(chenJianguo, '同意', '同意呈报市纪委监委。');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕16号');
    await recordAnswer(wuHaiyan, '澄纪复〔2026〕9号', '同意备案');
    const filing = await filingRow(chat);
    expect(filing.status).toBe('granted');
    expect(await stageKeys(chat)).toEqual(['unit', 'supervisor', 'review', 'discipline', 'meeting', 'zone', 'submission', 'answer']);
    for (const who of [yangFan, liuYang]) {
      expect(who.transcript().some((m) => m.text?.startsWith(`【市纪委监委答复】${filing.number} 改革创新风险备案（杨帆）：同意备案。\n市纪委监委 2026-11-27 答复，文号 澄纪复〔2026〕9号。`))).toBe(true);
    }
    // Filed at city level: nothing to 报备; the result report is still due.
    expect((await chat.db.query(`SELECT kind FROM case_tasks`)).map((t: { kind: string }) => t.kind)).toEqual(['result-report']);

    const rows = tableRows(await docxPart((await renderCaseDocument(chat.db, Number(filing.id), 'form', 'docx'))!.content, 'word/document.xml'));
    expect(rows[7]).toContain('集体研究：2026年11月27日；参加人员：陈建国、李明华、周志强、吴海燕');
    expect(rows[7]).toContain('明确意见：同意备案');
    expect(rows[8]).toContain('同意呈报市纪委监委。');
    expect(rows[9]).toContain('呈报：2026年11月27日呈报市纪委监委，文号：临港纪〔2026〕16号。');
    expect(rows[9]).toContain('答复：市纪委监委于2026年11月27日答复（澄纪复〔2026〕9号）：同意备案。');
    expect(rows[9]).toContain('以开发区党工委、管委会为申请主体呈报市纪委监委（《容错细则》第六条（二）3）。');
  });

  it('shows a cited filing to the 纪工委 investigator of a 容错 request', async () => {
    await fileRisk(yangFan);
    await throughJointReview();
    await decide(chenJianguo, '同意', '同意备案。');
    const filingNumber = (await filingRow(chat)).number;
    chat.clock.set(new Date('2026-12-15T02:00:00Z'));

    await applyForTolerance(yangFan, { filing: '1' });
    await decide(liuYang, '同意', '同意。');
    const opening = await wuHaiyan.taps('开始核实');
    expect(opening.text).toContain(`本申请引用了改革创新风险备案 ${filingNumber}（企业服务“容缺受理”试点，实施期限 2026-12-01 至 2027-06-30，备案有效期内）`);
  });
});
