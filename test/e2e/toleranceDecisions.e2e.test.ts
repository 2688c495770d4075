import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { docxPart, paragraphsText, tableRows } from '../documents/docText';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, recordBefore, type Answer, type Channel, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance, decide, investigate, recordAnswer, recordMeeting, recordSubmission, sign } from '../support/toleranceDialogue';
import { renderCaseDocument } from '../../src/documents/render';
import { selectOpened } from '../../src/storage/confidential';

/**
 * 《容错细则》第六条（一）as the 纪工委 and the 党（工）委 expect it: whatever the 纪工委 finds goes to
 * the 党（工）委主要负责人, who may send it back or amend it; the 批复 reaches the applicant and
 * their unit's party organisation; a city-level matter is studied, signed and 呈报'd; the
 * 组织人事部门 see who was exempted (第十一条).
 */

const caseRow = async (chat: Chat) => (await selectOpened<Record<string, string>>(chat.db, 'cases', 'SELECT * FROM cases ORDER BY id DESC'))[0];
const stageKeys = async (chat: Chat) => (await chat.db.query('SELECT stage_key FROM case_stages ORDER BY seq')).map((r: { stage_key: string }) => r.stage_key);
const formRows = async (chat: Chat, caseId: number) => tableRows(await docxPart((await renderCaseDocument(chat.db, caseId, 'form', 'docx'))!.content, 'word/document.xml'));
const said = (who: Chatter, start: string) => who.transcript().map((m) => m.text ?? '').filter((t) => t.startsWith(start));

const channels: Channel[] = ['simulator', 'wecom'];
const runs = databaseBackends.flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('容错免责 decided the way 第六条 says, over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长, the applicant
  let liuYang: Chatter; // 经济发展局 党组织主要负责人
  let wuHaiyan: Chatter; // 纪工委书记
  let chenJianguo: Chatter; // 党工委书记: 基层党委 and 开发区党工委
  let qianZhigang: Chatter; // 组织人事科科长

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[stateBackends.length - 1], {}, channel);
    [yangFan, liuYang, wuHaiyan, chenJianguo, qianZhigang] = ['P014', 'P012', 'P009', 'P001', 'P007'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  it('takes a 不予 finding to the 党（工）委 head, who sends it back with a reason, then agrees and amends the outcomes', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '不予容错免责', '', '决策程序存在明显瑕疵，不予容错免责。');
    expect((await caseRow(chat)).status).toBe('in_review');

    // The head gets the case, with the finding on the card.
    const head = chenJianguo.lastCard()!;
    expect(head.title).toBe('容错免责申请待您审批：基层党委意见');
    expect(recordBefore(chenJianguo, head.cardId)).toContain('认定：不予容错免责。决策程序存在明显瑕疵，不予容错免责。');
    await chenJianguo.taps('不同意');
    await chenJianguo.says('项目经党工委集体研究，属先行先试，请重新核实决策过程。');
    await chenJianguo.taps('提交');

    // Back to the 纪工委 for 重新核实, with the reason on the card; the applicant is told.
    const again = wuHaiyan.lastCard()!;
    expect(again.title).toBe('容错免责申请待您审批：纪（工）委意见');
    expect(again.description).toContain('重新核实。');
    expect(recordBefore(wuHaiyan, again.cardId)).toContain('重新核实：陈建国（基层党委意见）不同意原认定意见，理由：项目经党工委集体研究，属先行先试，请重新核实决策过程。');
    expect(yangFan.transcript().at(-1)!.text).toContain('下一步：纪（工）委意见（重新核实）');
    await investigate(wuHaiyan, '予以容错免责', '一、三', '经重新核实，决策经集体研究，予以容错免责。');

    // The head agrees and changes the outcomes; the form and the 批复 show the final ones.
    const amending = await chenJianguo.taps('同意');
    expect(amending.text).toMatch(/^您对 RC2026-\d{4}（基层党委意见）选择了“同意”，确认后作出批复。\n纪（工）委认定意见：予以容错免责，作《容错细则》第七条（一）（三）处理/);
    await chenJianguo.taps('是');
    await chenJianguo.says('一、二、四');
    await chenJianguo.says('同意予以容错免责，调整处理方式。');
    await chenJianguo.taps('提交');

    const record = await caseRow(chat);
    expect(record.status).toBe('granted');
    expect(JSON.parse(record.outcome)).toMatchObject({ verdict: 'grant', outcomes: [0, 1, 3] });
    expect(await stageKeys(chat)).toEqual(['unit', 'discipline', 'committee', 'discipline', 'committee']);

    const rows = await formRows(chat, Number(record.id));
    expect(rows[4]).toContain('认定结论：予以容错免责');
    expect(rows[5]).toContain('审核意见：同意');
    expect(rows[5]).toContain('调整后的处理（《容错细则》第七条）：');
    expect(rows[5]).toContain('（四）需追究党纪政纪责任的，可免于或从轻、减轻处分；');
    expect(rows[7]).toContain('重新核实：2026年11月27日，基层党委意见环节陈建国不同意纪（工）委原认定意见（不予容错免责），理由：项目经党工委集体研究，属先行先试，请重新核实决策过程');
    expect(rows[7]).toMatch(/批复：PF2026-\d{4}，2026年11月27日，予以容错免责，作《容错细则》第七条（一）（二）（四）处理。/);
  });

  it('concludes a 不予 finding the head agrees with by a 批复 to the applicant and the unit party organisation, which exports', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '不予容错免责', '', '不符合第五条情形，不予容错免责。');
    await decide(chenJianguo, '同意', '同意纪工委意见。');
    const record = await caseRow(chat);
    expect(record.status).toBe('rejected');
    const [reply] = await chat.db.query('SELECT number, verdict FROM case_replies');
    expect(reply.verdict).toBe('refuse');
    for (const who of [yangFan, liuYang]) expect(said(who, '【批复】')).toEqual([expect.stringContaining(`（杨帆）：不予容错免责。\n批复编号 ${reply.number}，2026-11-27 作出。`)]);
    // No exemption: nothing to execute and nothing for the 组织人事部门.
    expect(await chat.db.query('SELECT kind FROM case_tasks')).toEqual([]);
    expect(said(qianZhigang, '【容错免责干部】')).toEqual([]);

    const link = (await liuYang.says(`导出批复 ${record.number}`)).messages.at(-1)!.markdown!;
    expect(link).toContain(`**${record.number} 容错免责批复（Word）**`);
    const url = new URL(/\]\((\S+)\)/.exec(link)![1]);
    const docx = Buffer.from(await (await fetch(`${chat.url}${url.pathname}`)).arrayBuffer());
    const text = paragraphsText(await docxPart(docx, 'word/document.xml'));
    expect(text).toContain('临港开发区容错免责批复');
    expect(text).toContain(`批复编号：${reply.number}`);
    expect(text).toContain('经审核，不予容错免责。');
    expect(text).toContain('杨帆（申请人）、刘洋（所在单位党组织主要负责人）');
    expect((await chat.as('P039').says(`导出批复 ${record.number}`)).text).toContain('您无权导出');
  });

  it('takes a 上级交办 matter through 集体研究, 签署 and 呈报 to the city’s answer, each recorded and on the form', async () => {
    await applyForTolerance(yangFan, { handedDown: true });
    await decide(liuYang, '同意', '情况属实，同意报纪工委。');
    await investigate(wuHaiyan, '予以容错免责');

    expect(chenJianguo.lastCard()!.title).toBe('容错免责申请待您办理：党（工）委集体研究');
    await recordMeeting(chenJianguo, '予以容错免责');
    expect(chenJianguo.lastCard()!.title).toBe('容错免责申请待您审批：开发区党工委主要负责人签署意见');
    await sign(chenJianguo, '同意党工委集体研究意见，呈报市纪委监委。');
    const submissionCard = wuHaiyan.lastCard()!;
    expect(submissionCard.title).toBe('容错免责申请待您办理：呈报市纪委监委');
    const opening = await wuHaiyan.taps('登记呈报');
    expect(opening.text).toContain(`导出呈报 ${(await caseRow(chat)).number}`);
    await wuHaiyan.says('取消');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕15号');
    expect(yangFan.transcript().at(-1)!.text).toContain('下一步：市纪委监委答复');
    // Waiting on the city: the applicant's 催办 says so instead of nudging anyone.
    expect((await yangFan.taps('催办')).text).toContain('已呈报，正在等待市纪委监委答复');

    const number = (await caseRow(chat)).number;
    const submission = (await renderCaseDocument(chat.db, Number((await caseRow(chat)).id), 'submission', 'docx'))!;
    const submitted = paragraphsText(await docxPart(submission.content, 'word/document.xml'));
    expect(submitted).toContain('临港开发区容错免责事项呈报表');
    expect(submitted).toContain('呈报文号：临港纪〔2026〕15号');
    expect(submitted).toContain('属上级党组织、纪检监察机关交办的问题线索、信访件');
    expect(submitted).toContain('明确意见：予以容错免责');

    await recordAnswer(wuHaiyan, '澄纪复〔2026〕8号', '部分容错免责', '一');
    const record = await caseRow(chat);
    expect(record.status).toBe('granted');
    expect(JSON.parse(record.outcome)).toMatchObject({ verdict: 'partial', outcomes: [0], by: 'city' });
    expect(await stageKeys(chat)).toEqual(['unit', 'discipline', 'meeting', 'signature', 'submission', 'answer']);
    for (const who of [yangFan, liuYang]) expect(said(who, '【市纪委监委答复】')).toEqual([expect.stringMatching(new RegExp(`^【市纪委监委答复】${number} 容错免责申请（杨帆）：部分容错免责.*\\n市纪委监委 2026-11-27 答复，文号 澄纪复〔2026〕8号。`))]);
    // The city decided it: there is no 报备 to make.
    expect((await chat.db.query('SELECT kind FROM case_tasks')).map((t: { kind: string }) => t.kind)).not.toContain('report-city');

    const rows = await formRows(chat, Number(record.id));
    expect(rows[5]).toContain('集体研究：2026年11月27日；参加人员：陈建国、李明华、周志强、吴海燕');
    expect(rows[5]).toContain('明确意见：予以容错免责');
    expect(rows[5]).toContain('会议纪要：1 份（另附）');
    expect(rows[6]).toContain('同意党工委集体研究意见，呈报市纪委监委。');
    expect(rows[6]).toContain('签名：陈建国');
    expect(rows[7]).toContain('办理路径：市级层面事项（属上级党组织、纪检监察机关交办的问题线索、信访件）');
    expect(rows[7]).toContain('呈报：2026年11月27日呈报市纪委监委，文号：临港纪〔2026〕15号。（吴海燕登记）');
    expect(rows[7]).toContain('答复：市纪委监委于2026年11月27日答复（澄纪复〔2026〕8号）：部分容错免责');
  });

  it('shows the 组织人事部门 a granted exemption on the person, and tells them when it is granted (第十一条)', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意。');
    const number = (await caseRow(chat)).number;
    expect(said(qianZhigang, '【容错免责干部】')).toEqual([
      expect.stringContaining(`杨帆（综合科 综合科科长）经 ${number} 认定：予以容错免责，作《容错细则》第七条（一）（三）处理。依据《容错细则》第十一条`),
    ]);
    const lookup: Answer = await qianZhigang.says('容错记录 杨帆');
    expect(lookup.text).toMatch(new RegExp(`杨帆（综合科 综合科科长）：\\n· ${number}（批复 PF2026-\\d{4}，2026-11-27）：予以容错免责，作《容错细则》第七条（一）（三）处理。状态：有效`));
    expect((await chat.as('P039').says('容错记录 杨帆')).text).toContain('容错免责记录仅向组织人事部门、纪（工）委和党群工作部提供');
    expect((await yangFan.says('容错记录')).text).toContain(`· ${number}`);
  });
});
